"""Per-tenant index directories on disk with an atomically switched CURRENT pointer.

Layout: ``<root>/<tenant>/<identity>-<encoder>-<build>/`` (one complete index each; identity hashes
the FAQ content, the analysis and the format) and ``<root>/<tenant>/CURRENT`` naming the live one.
A build writes into a temporary directory that is renamed to a name never used before only when
complete, then CURRENT is replaced with ``os.replace``. No live directory is ever modified or
deleted, so a reader sees the old index or the new one, never a half-built or vanished one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from retrieval.config import RetrievalConfig
from retrieval.documents import FaqEntry, content_hash
from retrieval.encoders.base import Encoder
from retrieval.errors import IndexCorrupted, IndexManifestMismatch
from retrieval.hubness import Background
from retrieval.index import FORMAT, FaqIndex, Progress, Rewrite, read_manifest
from retrieval.sparse.bm25 import Analyse

log = logging.getLogger(__name__)
CURRENT = "CURRENT"
PROGRESS = "DENSE_PROGRESS"
# Far longer than writing an index takes (the encoding happens before its staging folder exists).
_ABANDONED_BUILD_SECONDS = 3600
_KEEP = 3  # index directories kept per tenant besides the live one, for quick rollback


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)[-60:]


class IndexStore:
    def __init__(
        self,
        root: Path,
        encoder: Encoder,
        analyse: Analyse,
        config: RetrievalConfig,
        rewrite: Rewrite | None = None,
        analysis: str = "",
        builder: Encoder | None = None,
        background: Background | None = None,
    ) -> None:
        """``rewrite`` normalises query and FAQ texts (e.g. a slang lexicon's ``apply``) and
        ``analysis`` identifies it, so that indexes built under another rewriting are rebuilt.
        ``builder`` encodes the FAQ texts of a build (e.g. through a cache); ``encoder`` queries.
        ``background``: the off-topic questions every index measures its FAQs' hubness against
        (computed from the vectors when an index is used, so it is not part of what is saved)."""
        self.root = root
        self.encoder = encoder
        self.builder = builder or encoder
        self.analyse = analyse
        self.config = config
        self.rewrite = rewrite
        self.analysis = analysis
        self.background = background

    def _prefix(self, entries: Sequence[FaqEntry]) -> str:
        identity = hashlib.sha256(f"{content_hash(entries)}|{self.analysis}|{FORMAT}".encode()).hexdigest()
        return f"{identity[:16]}-{_slug(self.encoder.name)}-"

    def directory_for(self, tenant: str, entries: Sequence[FaqEntry]) -> Path | None:
        """The best index directory built of exactly ``entries``, if any: one with dense vectors
        over one without, then the newest."""
        tenant_dir = self.root / tenant
        prefix = self._prefix(entries)
        live = self.current(tenant)
        if live is not None and live.name.startswith(prefix) and _has_dense(live):
            return live
        if not tenant_dir.is_dir():
            return None
        built = [d for d in tenant_dir.iterdir() if d.name.startswith(prefix) and d.is_dir()]
        return max(built, key=lambda d: (_has_dense(d), d.name)) if built else None

    def current(self, tenant: str) -> Path | None:
        try:
            name = (self.root / tenant / CURRENT).read_text(encoding="utf-8").strip()
        except OSError:
            return None
        return self.root / tenant / name

    def is_fresh(self, tenant: str, entries: Sequence[FaqEntry]) -> bool:
        """The live index is of exactly ``entries`` and holds every signal."""
        return self.state(tenant, entries) == "complete"

    def state(self, tenant: str, entries: Sequence[FaqEntry]) -> Literal["complete", "lexical", "stale"]:
        """``lexical``: the live index is of ``entries`` but its dense vectors are still to come."""
        live = self.current(tenant)
        if live is None or live != self.directory_for(tenant, entries):
            return "stale"
        return "complete" if _has_dense(live) else "lexical"

    def note_progress(self, tenant: str, faq_hash: str, done: int, total: int) -> None:
        """Record how far a dense build has come, for other processes (``faqbot tenants``)."""
        path = self.root / tenant / PROGRESS
        tmp = path.with_name(f".{PROGRESS}.{os.getpid()}.{threading.get_ident():x}")
        tmp.write_text(json.dumps({"faq_hash": faq_hash, "done": done, "total": total}), encoding="utf-8")
        os.replace(tmp, path)

    def dense_progress(self, tenant: str, entries: Sequence[FaqEntry]) -> tuple[int, int] | None:
        """(done, total) FAQs of the dense build of ``entries`` last noted, if any."""
        try:
            noted = json.loads((self.root / tenant / PROGRESS).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if noted.get("faq_hash") != content_hash(entries):
            return None
        return int(noted["done"]), int(noted["total"])

    def new_index(self, entries: Sequence[FaqEntry]) -> FaqIndex:
        """An unbuilt index of ``entries`` with this store's encoder and analysis."""
        return FaqIndex(
            entries, self.encoder, self.analyse, self.config, self.rewrite, self.analysis, self.background
        )

    def ensure(
        self, tenant: str, entries: Sequence[FaqEntry], progress: Progress | None = None, dense: bool = True
    ) -> FaqIndex:
        """The live index for exactly ``entries``: loaded when on disk and intact, else (re)built;
        without ``dense``, an index that has only its lexical signals may be returned (built in
        seconds; ``complete`` adds the vectors later). A corrupted or foreign index is logged and
        rebuilt from ``entries``, never a crash loop.
        """
        found = self.directory_for(tenant, entries)
        index: FaqIndex | None = None
        if found is not None:
            try:
                index = FaqIndex.load(
                    found,
                    self.encoder,
                    self.analyse,
                    self.config,
                    self.rewrite,
                    self.analysis,
                    self.background,
                )
                self.point(tenant, found)
            except (IndexCorrupted, IndexManifestMismatch) as exc:
                log.warning("rebuilding index of %s: %s", tenant, exc.message_en)
        if index is None:
            index = self.new_index(entries).build_lexical()
            if dense:
                index.build_dense(progress, self.builder)
            self.publish(tenant, index)
        elif dense and not index.has_dense:
            index = self.complete(tenant, index, progress)
            self.point(tenant, index.directory)
        return index

    def complete(
        self, tenant: str, index: FaqIndex, progress: Progress | None = None, donor: FaqIndex | None = None
    ) -> FaqIndex:
        """``index`` with its dense vectors (those of FAQs ``donor`` holds unchanged taken from it),
        saved beside it; CURRENT is not moved (the caller points it when this set is still the one
        to serve)."""
        complete = index.with_dense(progress, self.builder, donor)
        self.save(tenant, complete)
        return complete

    def publish(self, tenant: str, index: FaqIndex) -> Path:
        """Save a built index under a fresh directory name and make it the live one."""
        target = self.save(tenant, index)
        self.point(tenant, target)
        return target

    def save(self, tenant: str, index: FaqIndex) -> Path:
        """Save a built index under a fresh directory name (written aside, renamed when complete)."""
        tenant_dir = self.root / tenant
        tenant_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".build-", dir=tenant_dir))
        # Names sort by build time, so directory_for prefers the newest intact build.
        target = tenant_dir / f"{self._prefix(index.entries)}{time.time_ns():x}{os.getpid():x}"
        try:
            index.save(staging)
            # On disk before the rename makes it reachable: a power cut must not leave a named,
            # complete-looking directory with empty files (the manifest check would reject it).
            _fsync_tree(staging)
            os.rename(staging, target)
            _fsync(tenant_dir)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        index.directory = target
        self._prune(tenant_dir, target)
        return target

    def point(self, tenant: str, target: Path | None) -> None:
        """Make ``target`` (a saved index's directory) the tenant's live one (one atomic rename)."""
        assert target is not None, "the index was never saved"
        pointer = self.root / tenant / CURRENT
        if self.current(tenant) == target:
            return
        tmp = pointer.with_name(f".{CURRENT}.{os.getpid()}.{time.time_ns():x}")
        tmp.write_text(target.name, encoding="utf-8")
        _fsync(tmp)
        os.replace(tmp, pointer)
        _fsync(pointer.parent)

    def _prune(self, tenant_dir: Path, new: Path) -> None:
        """Keep the new directory, the live one and the _KEEP newest others."""
        keep = {new, self.current(tenant_dir.name)}
        others = sorted(
            (d for d in tenant_dir.iterdir() if d.is_dir() and d not in keep and not d.name.startswith(".")),
            key=lambda d: d.stat().st_mtime,
            reverse=True,
        )
        for stale in others[_KEEP:]:
            shutil.rmtree(stale, ignore_errors=True)
        # Staging folders of builds that crashed; a younger one may be another process's build.
        cutoff = time.time() - _ABANDONED_BUILD_SECONDS
        for abandoned in tenant_dir.glob(".build-*"):
            if abandoned.is_dir() and abandoned.stat().st_mtime < cutoff:
                shutil.rmtree(abandoned, ignore_errors=True)


def _fsync(path: Path) -> None:
    """Flush a file's (or a directory's entries') data to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(directory: Path) -> None:
    for path in directory.rglob("*"):
        if path.is_file():
            _fsync(path)
    _fsync(directory)


def _has_dense(directory: Path) -> bool:
    try:
        return read_manifest(directory).dense
    except IndexCorrupted:
        return False
