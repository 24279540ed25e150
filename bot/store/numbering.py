"""What FAQ and synonym versions share: per-tenant numbering, one live version, the live numbers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from sqlalchemy import CursorResult, Select, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store.db import Database
from bot.store.errors import BaseNotLive
from bot.store.models import TenantVersioned

Row = TypeVar("Row", bound=TenantVersioned)


def add_next(db: Database, model: type[Row], tenant: str, make: Callable[[int], Row]) -> Row:
    """Store ``make(number)`` numbered after the tenant's latest version; a live row retires the
    previous live one in the same transaction. Retries when a concurrent writer took the number."""
    for _ in range(5):
        try:
            with db.session() as s:
                latest = s.scalar(select(func.max(model.version)).where(model.tenant == tenant))
                row = make((latest or 0) + 1)
                if row.state == "live":
                    s.execute(retire_live(model, tenant))
                s.add(row)
                s.flush()
                return row
        except IntegrityError:
            continue
    raise RuntimeError(f"could not allocate a version number for {tenant}")


def find(s: Session, model: type[Row], tenant: str, version: int) -> Row | None:
    return s.scalar(select(model).where(model.tenant == tenant, model.version == version))


def find_live(s: Session, model: type[Row], tenant: str) -> Row | None:
    return s.scalar(select(model).where(model.tenant == tenant, model.state == "live"))


def newest_first(model: type[Row], tenant: str) -> Select[Row]:
    """The tenant's versions, newest first."""
    return select(model).where(model.tenant == tenant).order_by(model.version.desc())


def live_numbers(db: Database, model: type[TenantVersioned]) -> dict[str, int]:
    """Each tenant's live version number: what a server polls to notice a change made elsewhere."""
    with db.session() as s:
        rows = s.execute(select(model.tenant, model.version).where(model.state == "live"))
        return {tenant: version for tenant, version in rows}


def retire_live(model: type[TenantVersioned], tenant: str) -> Any:
    return update(model).where(model.tenant == tenant, model.state == "live").values(state="retired")


def switch_live(s: Session, model: type[Row], row: Row, base: int | None) -> None:
    """Retire the tenant's live version and make ``row`` live. With a ``base``, only if the live
    version is still ``base`` (optimistic concurrency: BaseNotLive otherwise). The check is the
    UPDATE itself, so two writers racing on Postgres cannot both pass it; the one-live index catches
    the rest (IntegrityError on flush)."""
    retire = retire_live(model, row.tenant)
    if base is not None:
        retire = retire.where(model.version == base)
    retired = cast("CursorResult[Any]", s.execute(retire)).rowcount
    if base is not None and not retired:
        live = find_live(s, model, row.tenant)
        if live is not None and live.id != row.id:
            raise BaseNotLive(row.tenant, row.version, base, live.version)
    row.state = "live"
    s.flush()
