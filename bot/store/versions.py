"""FAQ versions of each tenant: drafts, the one live version, and retired ones for rollback."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer

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


def _version(row: FaqVersionRow, with_entries: bool) -> FaqVersion:
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
        entries=tuple(FaqEntry.from_dict(e) for e in row.entries) if with_entries else (),
    )


class VersionRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

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

        return _version(numbering.add_next(self.db, FaqVersionRow, tenant, make), with_entries=True)

    def get(self, tenant: str, version: int) -> FaqVersion:
        with self.db.session() as s:
            row = numbering.find(s, FaqVersionRow, tenant, version)
            if row is None:
                raise VersionNotFound(tenant, version)
            return _version(row, with_entries=True)

    def live(self, tenant: str) -> FaqVersion | None:
        with self.db.session() as s:
            row = numbering.find_live(s, FaqVersionRow, tenant)
            return _version(row, with_entries=True) if row else None

    def live_numbers(self) -> dict[str, int]:
        """Each tenant's live version number: what a server polls to notice a publish elsewhere."""
        return numbering.live_numbers(self.db, FaqVersionRow)

    def list(self, tenant: str) -> list[FaqVersion]:
        """Newest first, without entries (a 10,000-row set is not loaded to list it)."""
        with self.db.session() as s:
            query = numbering.newest_first(FaqVersionRow, tenant).options(defer(FaqVersionRow.entries))
            rows = s.scalars(query)
            return [_version(r, with_entries=False) for r in rows]

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
                return _version(row, with_entries=False)
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
