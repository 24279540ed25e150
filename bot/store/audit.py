"""The audit log: every change an operator makes, who made it and when."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.store.db import Database
from bot.store.models import AuditRow


class AuditLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    def record(self, actor: str, tenant: str | None, action: str, **detail: Any) -> None:
        with self.db.session() as s:
            s.add(AuditRow(actor=actor, tenant=tenant, action=action, detail=detail))

    def recent(self, tenant: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
        if tenant is not None:
            query = query.where(AuditRow.tenant == tenant)
        with self.db.session() as s:
            return [
                {
                    "at": r.at.isoformat(timespec="seconds"),
                    "actor": r.actor,
                    "tenant": r.tenant,
                    "action": r.action,
                    "detail": r.detail,
                }
                for r in s.scalars(query)
            ]
