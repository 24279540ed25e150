"""The FAQ lifecycle of a tenant: import → draft (report + diff) → publish / rollback, and edits.

Shared by the admin API (publishing in a background job) and the CLI (publishing in the foreground).
A publish builds the index first and only then flips the live version and swaps the served index,
so chat answers from the old version until the very last moment.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace

from bot.faqsets import RawRow, RowIssue, derive_id, parse_faq_file, validate_rows
from bot.operators.errors import (
    DeletionsNeedConfirmation,
    DraftConflicts,
    DraftHasErrors,
    FaqNotFound,
    NotRollbackTarget,
)
from bot.operators.rebase import rebase
from bot.operators.report import (
    NEAR_DUPLICATES,
    diff_entries,
    near_duplicate_pairs,
    near_duplicate_warnings,
    report_json,
)
from bot.runtime import Runtime
from bot.store import FaqVersion
from bot.store.caching import CachingAnalyser, CachingEncoder, cache_key
from retrieval import FaqEntry, IndexStore

log = logging.getLogger(__name__)
Progress = Callable[[int], None]
# Told (tenant, version) after a version went live here, e.g. to notify the other replicas.
OnLive = Callable[[str, int], None]


def entry_rows(entries: Sequence[FaqEntry]) -> list[RawRow]:
    """Entries as the rows of a file, so an edited set is validated exactly like an imported one."""
    return [
        RawRow(
            number,
            {
                "id": e.id,
                "category": e.category,
                "question": e.question,
                "answer": e.answer,
                "alt_questions": " | ".join(e.alt_questions),
                "link": e.link or "",
                **{
                    f"{part}_{t.language}": getattr(t, part) or ""
                    for t in e.translations
                    for part in ("question", "answer")
                },
            },
        )
        for number, e in enumerate(entries, start=2)
    ]


class FaqLifecycle:
    def __init__(self, runtime: Runtime, on_live: OnLive | None = None) -> None:
        self.runtime = runtime
        self.on_live = on_live
        self.store = runtime.store
        self.encoder = CachingEncoder(runtime.encoder, runtime.store.text_cache)
        live = runtime.indexes
        identity = f"bm25-terms|{live.analysis}"
        self.analyser = CachingAnalyser(live.analyse, identity, runtime.store.text_cache)
        # Builds through the caches into the same directories the runtime loads from.
        self.builds = IndexStore(
            live.root,
            self.encoder,
            self.analyser,
            live.config,
            rewrite=live.rewrite,
            analysis=live.analysis,
            background=live.background,
        )

    def import_file(self, tenant: str, filename: str, data: bytes, actor: str) -> FaqVersion:
        """A new draft from an operator's file; FaqFileError (nothing stored) if it cannot be read."""
        self.runtime.tenant(tenant)
        rows = parse_faq_file(filename, data)
        version = self._draft(tenant, rows, filename, actor)
        self.store.audit.record(
            actor,
            tenant,
            "import",
            version=version.version,
            file=filename[:255],
            errors=len(version.report["errors"]),
        )
        return version

    def _draft(self, tenant: str, rows: list[RawRow], source: str, actor: str) -> FaqVersion:
        report = validate_rows(rows)
        # An edit's new texts are encoded while the rest of the import and the publish run.
        self.runtime.encode_ahead(tenant, report.entries)
        failed = {e.row for e in report.errors}
        numbers = [r.row for r in rows if r.row not in failed]
        warnings = self._near_duplicates(report.entries, numbers)
        # The draft remembers which live version it was made from: publishing checks it is still live.
        live = self.runtime.live_version(tenant)
        diff = diff_entries(live.entries, report.entries)
        share = self.runtime.settings.deletion_warning_share
        body = report_json(report, warnings, diff, live.version, len(live.entries), share)
        return self.store.versions.create(tenant, report.entries, body, source, actor)

    def _near_duplicates(self, entries: Sequence[FaqEntry], rows: Sequence[int]) -> list[RowIssue]:
        """``near_duplicates`` through the caches: the questions of a file checked before, in the
        same order (a re-import after fixing answers), are not compared again (~1 s at 10,000
        rows), and otherwise only new questions are analysed."""
        questions = [e.question for e in entries]
        key = cache_key(f"{NEAR_DUPLICATES}|{self.analyser.identity}", "\0".join(questions))
        stored = self.store.text_cache.get_many([key]).get(key)
        if stored is not None:
            pairs = [(int(i), int(j), float(s)) for i, j, s in json.loads(stored)]
        else:
            try:
                pairs = near_duplicate_pairs(questions, self.analyser)
            finally:
                self.analyser.flush()
            self.store.text_cache.put_many({key: json.dumps(pairs).encode()})
        return near_duplicate_warnings(pairs, rows)

    def check_publishable(
        self, tenant: str, version: int, actor: str, allow_deletions: bool = False
    ) -> FaqVersion:
        """The version to publish: ``version`` itself, or a new draft with its changes rebased onto
        the live version when another was published since it was made (DraftConflicts if both
        changed the same FAQs). A mass deletion needs ``allow_deletions``."""
        found = self.store.versions.get(tenant, version)
        if not found.publishable:
            raise DraftHasErrors(version, len(found.report["errors"]))
        deletion = found.report.get("mass_deletion")
        if deletion and not allow_deletions:
            raise DeletionsNeedConfirmation(version, deletion["removed"], deletion["live"])
        return self._rebased(found, actor)

    def _rebased(self, draft: FaqVersion, actor: str) -> FaqVersion:
        base = draft.base
        if base is None or draft.state != "draft":
            return draft
        live = self.runtime.live_version(draft.tenant)
        if live.version == base:
            return draft
        merged = rebase(self.store.versions.get(draft.tenant, base).entries, draft.entries, live.entries)
        if merged is None:
            raise DraftConflicts(draft.version, base, live.version)
        source = f"버전 {draft.version} → 버전 {live.version} 기준 (rebase)"
        rebased = self._draft(draft.tenant, entry_rows(merged), source, actor)
        self.store.audit.record(actor, draft.tenant, "rebase", version=rebased.version, draft=draft.version)
        if not rebased.publishable:
            raise DraftHasErrors(rebased.version, len(rebased.report["errors"]))
        log.info(
            "%s: draft %d rebased onto version %d as %d",
            draft.tenant,
            draft.version,
            live.version,
            rebased.version,
        )
        return rebased

    def discard(self, tenant: str, version: int, actor: str) -> None:
        """Delete a draft nobody will publish (a failed import, a superseded edit)."""
        self.runtime.tenant(tenant)
        self.store.versions.discard(tenant, version)
        self.store.audit.record(actor, tenant, "discard", version=version)

    def check_rollback(self, tenant: str, version: int) -> FaqVersion:
        found = self.store.versions.get(tenant, version)
        if found.state == "draft":
            raise NotRollbackTarget(version)
        return found

    def prepare(self, version: FaqVersion) -> None:
        """Analyse the version's texts into the cache (the slow part of a publish on the lexical
        signals), e.g. right after import, without building the index itself; its dense vectors
        are built after it goes live."""
        try:
            self.builds.new_index(version.entries).build_lexical()
        finally:
            self.analyser.flush()

    def go_live(self, version: FaqVersion, actor: str, action: str, progress: Progress | None = None) -> None:
        """Build ``version``'s index, then make it live and serve it (one atomic swap)."""
        tenant = version.tenant
        try:
            dense = not self.runtime.background_dense
            built = self.builds.ensure(tenant, version.entries, progress, dense=dense)
        finally:
            self.analyser.flush()
            self.analyser.forget()
        # Served through the runtime's own encoder and analyser: queries must not go through the cache.
        live = self.runtime.indexes
        index = built.using(live.encoder, live.analyse)
        # A draft goes live only over the version it was made from (checked in the same transaction).
        base = version.base if version.state == "draft" else None
        with self.runtime.build_lock:
            self.store.versions.make_live(tenant, version.version, actor, base=base)
            self.runtime.install(tenant, version.version, index)
        try:
            self.store.audit.record(actor, tenant, action, version=version.version, faqs=len(version.entries))
        except Exception:
            # The version is live and served: a lost audit line must not report the publish as failed.
            log.exception(
                "%s: version %d is live, but its audit entry was not written", tenant, version.version
            )
        if self.on_live is not None:
            self.on_live(tenant, version.version)
        log.info("%s: version %d is live (%s by %s)", tenant, version.version, action, actor)

    def publish(
        self,
        tenant: str,
        version: int,
        actor: str,
        progress: Progress | None = None,
        allow_deletions: bool = False,
    ) -> FaqVersion:
        """Publish ``version`` (or its rebase, which is returned) in the foreground."""
        found = self.check_publishable(tenant, version, actor, allow_deletions)
        self.go_live(found, actor, "publish", progress)
        return found

    def rollback(self, tenant: str, version: int, actor: str, progress: Progress | None = None) -> FaqVersion:
        found = self.check_rollback(tenant, version)
        self.go_live(found, actor, "rollback", progress)
        return found

    # Single-FAQ edits: each creates a new draft from the live set, validated like a file.

    def edit(self, tenant: str, actor: str, change: Callable[[list[FaqEntry]], str]) -> FaqVersion:
        entries = self.runtime.live_entries(tenant)
        source = change(entries)
        version = self._draft(tenant, entry_rows(entries), source, actor)
        self.store.audit.record(actor, tenant, "edit", version=version.version, change=source)
        return version

    def add_alt_question(self, tenant: str, faq_id: str, question: str, actor: str) -> FaqVersion:
        def change(entries: list[FaqEntry]) -> str:
            i = _position(entries, faq_id)
            e = entries[i]
            if question.strip() not in e.alt_questions:
                entries[i] = replace(e, alt_questions=(*e.alt_questions, question.strip()))
            return f"유사질문 추가: {faq_id}"

        return self.edit(tenant, actor, change)

    def set_answer(self, tenant: str, faq_id: str, answer: str, actor: str) -> FaqVersion:
        def change(entries: list[FaqEntry]) -> str:
            i = _position(entries, faq_id)
            e = entries[i]
            entries[i] = replace(e, answer=answer.strip())
            return f"답변 수정: {faq_id}"

        return self.edit(tenant, actor, change)

    def add_faq(self, tenant: str, question: str, answer: str, category: str, actor: str) -> FaqVersion:
        def change(entries: list[FaqEntry]) -> str:
            entries.append(FaqEntry(derive_id(question), category.strip(), question.strip(), answer.strip()))
            return "새 FAQ 추가"

        return self.edit(tenant, actor, change)


def _position(entries: list[FaqEntry], faq_id: str) -> int:
    for i, e in enumerate(entries):
        if e.id == faq_id:
            return i
    raise FaqNotFound(faq_id)
