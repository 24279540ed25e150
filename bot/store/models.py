"""SQLAlchemy tables of the operator side: FAQ and synonym versions, tokens, audit log, turns, text cache.

Portable SQL only (SQLite by default, Postgres when configured): JSON columns, no vendor types.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, Index, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC in and out, also on SQLite (which drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        return value.astimezone(dt.timezone.utc) if value is not None else None

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value


class Base(DeclarativeBase):
    pass


def one_live_per_tenant(table: str) -> Index:
    """At most one live row per tenant, enforced by the database itself: two replicas (or the CLI and
    a server) publishing at once cannot both win, whatever the application code checked before."""
    live = text("state = 'live'")
    return Index(f"uq_{table}_one_live", "tenant", unique=True, sqlite_where=live, postgresql_where=live)


class TenantVersioned:
    """Columns of a tenant's numbered versions (FAQ sets, synonyms): at most one per tenant is live."""

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int]
    state: Mapped[str] = mapped_column(String(16))  # draft (FAQ sets only) | live | retired
    source: Mapped[str] = mapped_column(String(255))  # file name or a description of the edit
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class FaqVersionRow(TenantVersioned, Base):
    """One imported or edited FAQ set of a tenant."""

    __tablename__ = "faq_versions"
    __table_args__ = (UniqueConstraint("tenant", "version"), one_live_per_tenant("faq_versions"))

    # Loaded only when read: publishing or listing a 10,000-FAQ version needs none of its ~3 MB.
    entries: Mapped[list[dict[str, Any]]] = mapped_column(JSON, deferred=True)
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_by: Mapped[str | None] = mapped_column(String(64))
    published_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class SynonymVersionRow(TenantVersioned, Base):
    """One saved set of a tenant's own synonyms (canonical word → variants)."""

    __tablename__ = "synonym_versions"
    __table_args__ = (UniqueConstraint("tenant", "version"), one_live_per_tenant("synonym_versions"))

    terms: Mapped[dict[str, list[str]]] = mapped_column(JSON)


class TokenRow(Base):
    """An operator token: the public ``id`` part finds the row, the secret is kept only as SHA-256."""

    __tablename__ = "operator_tokens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    tenant: Mapped[str | None] = mapped_column(String(64))  # None: deployment-wide admin
    secret_sha256: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class AuditRow(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    tenant: Mapped[str | None] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)


class TurnRow(Base):
    """One visitor message (personal data already masked) and how it was answered."""

    __tablename__ = "turns"
    __table_args__ = (Index("ix_turns_tenant_at", "tenant", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    tenant: Mapped[str] = mapped_column(String(64))
    session_id: Mapped[str] = mapped_column(String(128))
    text: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(16))
    faq_id: Mapped[str | None] = mapped_column(String(80))
    score: Mapped[float | None]
    helpful: Mapped[bool | None]  # set on feedback turns only


class TextCacheRow(Base):
    """What slow analysis made of one text (an embedding, Kiwi terms), so a publish redoes only news."""

    __tablename__ = "text_cache"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256(analyser identity + text)
    value: Mapped[bytes] = mapped_column(LargeBinary)
