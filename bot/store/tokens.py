"""Operator tokens: ``fqb_<id>_<secret>``; only the secret's SHA-256 is stored, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from bot.store.db import Database
from bot.store.models import TokenRow, utcnow

PREFIX = "fqb"


@dataclass(frozen=True)
class Principal:
    """Who is calling: an admin (tenant None) or one tenant's operator."""

    actor: str  # shown in the audit log and the versions list, e.g. "token:ab12cd34ef56"
    tenant: str | None

    @property
    def is_admin(self) -> bool:
        return self.tenant is None

    def may_manage(self, tenant: str) -> bool:
        return self.tenant is None or self.tenant == tenant


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class TokenRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def create(self, tenant: str | None, label: str = "") -> str:
        """A new token (returned once, never stored in clear) for one tenant, or admin when None."""
        token_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        with self.db.session() as s:
            s.add(TokenRow(id=token_id, tenant=tenant, secret_sha256=_digest(secret), label=label[:120]))
        return f"{PREFIX}_{token_id}_{secret}"

    def verify(self, token: str) -> Principal | None:
        """The principal of a valid, unrevoked token; None for anything else."""
        parts = token.split("_", 2)
        if len(parts) != 3 or parts[0] != PREFIX:
            return None
        _, token_id, secret = parts
        with self.db.session() as s:
            row = s.get(TokenRow, token_id)
            if row is None or row.revoked_at is not None:
                return None
            if not hmac.compare_digest(_digest(secret), row.secret_sha256):
                return None
            return Principal(f"token:{row.id}", row.tenant)

    def revoke(self, token_id: str) -> bool:
        with self.db.session() as s:
            row = s.get(TokenRow, token_id)
            if row is None or row.revoked_at is not None:
                return False
            row.revoked_at = utcnow()
            return True

    def list(self) -> list[dict[str, object]]:
        with self.db.session() as s:
            rows = s.scalars(select(TokenRow).order_by(TokenRow.created_at))
            return [
                {
                    "id": r.id,
                    "tenant": r.tenant,
                    "label": r.label,
                    "created_at": r.created_at.isoformat(timespec="seconds"),
                    "revoked": r.revoked_at is not None,
                }
                for r in rows
            ]
