"""Results of slow per-text analysis (embeddings, Kiwi terms) by key, so a publish redoes only new texts."""

from __future__ import annotations

import contextlib

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.store.db import Database
from bot.store.models import TextCacheRow

_CHUNK = 500  # keys per IN (...) query, well under every database's parameter limit


class TextCache:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get_many(self, keys: list[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        with self.db.session() as s:
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start : start + _CHUNK]
                rows = s.execute(
                    select(TextCacheRow.key, TextCacheRow.value).where(TextCacheRow.key.in_(chunk))
                )
                found.update({k: v for k, v in rows})
        return found

    def put_many(self, values: dict[str, bytes]) -> None:
        if not values:
            return
        existing = set(self.get_many(list(values)))
        fresh = {k: v for k, v in values.items() if k not in existing}
        try:
            with self.db.session() as s:
                s.add_all(TextCacheRow(key=k, value=v) for k, v in fresh.items())
        except IntegrityError:
            # Another thread or process cached some of them meanwhile: keep what is missing.
            for key, value in fresh.items():
                with contextlib.suppress(IntegrityError), self.db.session() as s:
                    s.add(TextCacheRow(key=key, value=value))
