"""Versions of each tenant's own synonyms: every save is a new live version, earlier ones stay for
rollback.

Synonyms rewrite questions, never the indexed FAQ texts, so a new version needs no index build and
goes live as it is stored; servers pick it up like a published FAQ version (poll or notification).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError

from bot.store import numbering
from bot.store.db import Database
from bot.store.errors import ConcurrentPublish, SynonymVersionNotFound
from bot.store.models import SynonymVersionRow

Terms = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class SynonymVersion:
    tenant: str
    version: int
    state: str
    source: str
    created_by: str
    created_at: dt.datetime
    terms: dict[str, list[str]] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "state": self.state,
            "source": self.source,
            "terms": len(self.terms),
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat(timespec="seconds"),
        }


def _version(row: SynonymVersionRow) -> SynonymVersion:
    return SynonymVersion(
        tenant=row.tenant,
        version=row.version,
        state=row.state,
        source=row.source,
        created_by=row.created_by,
        created_at=row.created_at,
        terms={k: list(v) for k, v in row.terms.items()},
    )


class SynonymRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def save(self, tenant: str, terms: Terms, source: str, actor: str) -> SynonymVersion:
        """Store ``terms`` as the tenant's new live version."""

        def make(number: int) -> SynonymVersionRow:
            return SynonymVersionRow(
                tenant=tenant,
                version=number,
                state="live",
                source=source[:255],
                terms={k: list(v) for k, v in terms.items()},
                created_by=actor,
            )

        return _version(numbering.add_next(self.db, SynonymVersionRow, tenant, make))

    def live(self, tenant: str) -> SynonymVersion | None:
        with self.db.session() as s:
            row = numbering.find_live(s, SynonymVersionRow, tenant)
            return _version(row) if row else None

    def live_numbers(self) -> dict[str, int]:
        return numbering.live_numbers(self.db, SynonymVersionRow)

    def list(self, tenant: str) -> list[SynonymVersion]:
        """Newest first."""
        with self.db.session() as s:
            rows = s.scalars(numbering.newest_first(SynonymVersionRow, tenant))
            return [_version(r) for r in rows]

    def make_live(self, tenant: str, version: int) -> SynonymVersion:
        try:
            with self.db.session() as s:
                row = numbering.find(s, SynonymVersionRow, tenant, version)
                if row is None:
                    raise SynonymVersionNotFound(tenant, version)
                numbering.switch_live(s, SynonymVersionRow, row, base=None)
                return _version(row)
        except IntegrityError as exc:
            raise ConcurrentPublish(tenant, version) from exc
