"""Per-tenant index directories on disk with an atomically switched CURRENT pointer.

Layout: ``<root>/<tenant>/<faq-hash>-<encoder>/`` (one complete index each) and
``<root>/<tenant>/CURRENT`` naming the live one. A build writes into a temporary directory that is
renamed into place only when complete, then CURRENT is replaced with ``os.replace``; a reader
therefore sees the old index or the new one, never a half-built one.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from retrieval.config import RetrievalConfig
from retrieval.documents import FaqEntry, content_hash
from retrieval.encoders.base import Encoder
from retrieval.errors import IndexCorrupted, IndexManifestMismatch
from retrieval.index import FaqIndex, Progress
from retrieval.sparse.bm25 import Analyse

log = logging.getLogger(__name__)
CURRENT = "CURRENT"
_KEEP = 3  # index directories kept per tenant besides the live one, for quick rollback


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)[-60:]


class IndexStore:
    def __init__(self, root: Path, encoder: Encoder, analyse: Analyse, config: RetrievalConfig) -> None:
        self.root = root
        self.encoder = encoder
        self.analyse = analyse
        self.config = config

    def directory_for(self, tenant: str, entries: Sequence[FaqEntry]) -> Path:
        return self.root / tenant / f"{content_hash(entries)[:16]}-{_slug(self.encoder.name)}"

    def current(self, tenant: str) -> Path | None:
        try:
            name = (self.root / tenant / CURRENT).read_text(encoding="utf-8").strip()
        except OSError:
            return None
        return self.root / tenant / name

    def is_fresh(self, tenant: str, entries: Sequence[FaqEntry]) -> bool:
        return (
            self.current(tenant) == self.directory_for(tenant, entries)
            and self.directory_for(tenant, entries).is_dir()
        )

    def ensure(self, tenant: str, entries: Sequence[FaqEntry], progress: Progress | None = None) -> FaqIndex:
        """The live index for exactly ``entries``: loaded when on disk and intact, else (re)built.

        A corrupted or foreign index is logged and rebuilt from ``entries``, never a crash loop.
        """
        target = self.directory_for(tenant, entries)
        if target.is_dir():
            try:
                index = FaqIndex.load(target, self.encoder, self.analyse, self.config)
                self._point(tenant, target)
                return index
            except (IndexCorrupted, IndexManifestMismatch) as exc:
                log.warning("rebuilding index of %s: %s", tenant, exc.message_en)
        index = FaqIndex(entries, self.encoder, self.analyse, self.config).build(progress)
        self._publish(tenant, index, target)
        return index

    def _publish(self, tenant: str, index: FaqIndex, target: Path) -> None:
        tenant_dir = self.root / tenant
        tenant_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".build-", dir=tenant_dir))
        try:
            index.save(staging)
            if target.exists():
                shutil.rmtree(target)
            os.rename(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        self._point(tenant, target)
        self._prune(tenant_dir, target)

    def _point(self, tenant: str, target: Path) -> None:
        pointer = self.root / tenant / CURRENT
        if self.current(tenant) == target:
            return
        tmp = pointer.with_name(f".{CURRENT}.{os.getpid()}")
        tmp.write_text(target.name, encoding="utf-8")
        os.replace(tmp, pointer)

    def _prune(self, tenant_dir: Path, live: Path) -> None:
        others = sorted(
            (d for d in tenant_dir.iterdir() if d.is_dir() and d != live and not d.name.startswith(".")),
            key=lambda d: d.stat().st_mtime,
            reverse=True,
        )
        for stale in others[_KEEP:]:
            shutil.rmtree(stale, ignore_errors=True)
