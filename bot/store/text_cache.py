"""Results of slow per-text analysis (embeddings, Kiwi terms) by key, so a publish redoes only new texts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

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
        """Store ``values``; a key already stored keeps its first value (another thread or process
        may have cached it meanwhile). One multi-row statement a chunk, not an ORM object a row: a
        10,000-row publish stores ~40,000 values while the encoder waits."""
        if not values:
            return
        dialect = postgresql if self.db.engine.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(TextCacheRow).on_conflict_do_nothing(index_elements=["key"])
        rows = [{"key": k, "value": v} for k, v in values.items()]
        with self.db.session() as s:
            for start in range(0, len(rows), _CHUNK):
                s.execute(statement, rows[start : start + _CHUNK])
