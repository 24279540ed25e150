"""FAQ versions of each tenant: drafts, the one live version, and retired ones for rollback."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy.exc import IntegrityError

from bot.store import numbering
from bot.store.db import Database
from bot.store.errors import ConcurrentPublish, NotADraft, VersionNotFound
from bot.store.models import FaqVersionRow, utcnow
from retrieval import FaqEntry

State = Literal["draft", "live", "retired"]


@dataclass(frozen=True)
class FaqVersion:
    tenant: str
    version: int
    state: str
    source: str
    created_by: str
    created_at: dt.datetime
    published_by: str | None
    published_at: dt.datetime | None
    report: dict[str, Any] = field(default_factory=dict)
    entries: tuple[FaqEntry, ...] = ()

    @property
    def publishable(self) -> bool:
        return not self.report.get("errors")

    @property
    def base(self) -> int | None:
        """The live version this draft was made from (None for seeds and drafts older than the field)."""
        base = self.report.get("base")
        return base if isinstance(base, int) else None

    def summary(self) -> dict[str, Any]:
        """The JSON of a version in listings (without its entries)."""
        return {
            "version": self.version,
            "state": self.state,
            "source": self.source,
            "faqs": self.report.get("faqs", len(self.entries)),
            "errors": len(self.report.get("errors", [])),
            "warnings": len(self.report.get("warnings", [])),
            "mass_deletion": self.report.get("mass_deletion"),
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat(timespec="seconds"),
            "published_by": self.published_by,
            "published_at": self.published_at.isoformat(timespec="seconds") if self.published_at else None,
        }


def _version(row: FaqVersionRow, *, entries: tuple[FaqEntry, ...]) -> FaqVersion:
    """A version as read: ``entries`` are given apart (``()`` where they are not needed), parsed
    once per version by ``_ParsedEntries``."""
    return FaqVersion(
        tenant=row.tenant,
        version=row.version,
        state=row.state,
        source=row.source,
        created_by=row.created_by,
        created_at=row.created_at,
        published_by=row.published_by,
        published_at=row.published_at,
        report=row.report,
        entries=entries,
    )


class _ParsedEntries:
    """The entries of the versions read last, parsed. A version's entries never change once
    stored, and an import (its diff), its publish and the runtime each read the live version:
    ~0.2 s of JSON and FaqEntry parsing each at 10,000 FAQs. Keyed with the creation time too, so
    a store that was emptied and refilled under a running process is not mistaken for the old one."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._parsed: OrderedDict[tuple[str, int, dt.datetime], tuple[FaqEntry, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def of(self, row: FaqVersionRow) -> tuple[FaqEntry, ...]:
        """The row's entries (read inside its session: the column is loaded on first access)."""
        key = (row.tenant, row.version, row.created_at)
        with self._lock:
            parsed = self._parsed.get(key)
            if parsed is not None:
                self._parsed.move_to_end(key)
                return parsed
        return self.remember(row, tuple(FaqEntry.from_dict(e) for e in row.entries))

    def remember(self, row: FaqVersionRow, entries: tuple[FaqEntry, ...]) -> tuple[FaqEntry, ...]:
        with self._lock:
            self._parsed[(row.tenant, row.version, row.created_at)] = entries
            while len(self._parsed) > self.size:
                self._parsed.popitem(last=False)
        return entries


class VersionRepository:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._entries = _ParsedEntries()

    def create(
        self,
        tenant: str,
        entries: list[FaqEntry],
        report: dict[str, Any],
        source: str,
        actor: str,
        state: State = "draft",
    ) -> FaqVersion:
        """Store a new version numbered after the tenant's latest."""

        def make(number: int) -> FaqVersionRow:
            now = utcnow()
            return FaqVersionRow(
                tenant=tenant,
                version=number,
                state=state,
                source=source[:255],
                entries=[e.to_dict() for e in entries],
                report={**report, "faqs": len(entries)},
                created_by=actor,
                created_at=now,
                published_by=actor if state == "live" else None,
                published_at=now if state == "live" else None,
            )

        row = numbering.add_next(self.db, FaqVersionRow, tenant, make)
        return _version(row, entries=self._entries.remember(row, tuple(entries)))

    def get(self, tenant: str, version: int) -> FaqVersion:
        with self.db.session() as s:
            row = numbering.find(s, FaqVersionRow, tenant, version)
            if row is None:
                raise VersionNotFound(tenant, version)
            return _version(row, entries=self._entries.of(row))

    def live(self, tenant: str) -> FaqVersion | None:
        with self.db.session() as s:
            row = numbering.find_live(s, FaqVersionRow, tenant)
            return _version(row, entries=self._entries.of(row)) if row else None

    def live_numbers(self) -> dict[str, int]:
        """Each tenant's live version number: what a server polls to notice a publish elsewhere."""
        return numbering.live_numbers(self.db, FaqVersionRow)

    def list(self, tenant: str) -> list[FaqVersion]:
        """Newest first, without entries (a 10,000-row set is not loaded to list it)."""
        with self.db.session() as s:
            return [_version(r, entries=()) for r in s.scalars(numbering.newest_first(FaqVersionRow, tenant))]

    def make_live(self, tenant: str, version: int, actor: str, base: int | None = None) -> FaqVersion:
        """Retire the live version and make ``version`` live, in one transaction; with ``base``, only
        while ``base`` is still the live version (BaseNotLive otherwise)."""
        try:
            with self.db.session() as s:
                row = numbering.find(s, FaqVersionRow, tenant, version)
                if row is None:
                    raise VersionNotFound(tenant, version)
                row.published_by = actor
                row.published_at = utcnow()
                numbering.switch_live(s, FaqVersionRow, row, base)
                return _version(row, entries=())
        except IntegrityError as exc:
            raise ConcurrentPublish(tenant, version) from exc

    def discard(self, tenant: str, version: int) -> None:
        """Delete a draft (e.g. a failed import); published versions stay for rollback."""
        with self.db.session() as s:
            row = numbering.find(s, FaqVersionRow, tenant, version)
            if row is None:
                raise VersionNotFound(tenant, version)
            if row.state != "draft":
                raise NotADraft(version)
            s.delete(row)
