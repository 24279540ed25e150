"""Engine and session factory for the operator store (SQLite file by default, Postgres if configured)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.store.models import Base

log = logging.getLogger(__name__)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    # The CLI and a running server share the file: WAL lets readers run beside a writer and
    # busy_timeout makes a writer wait for the other instead of failing with "database is locked".
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine with the schema created (idempotent), ready for the repositories."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    Base.metadata.create_all(engine)
    # create_all skips tables that exist: a database made before an index was added gets it here.
    for table in Base.metadata.sorted_tables:
        for index in table.indexes:
            try:
                index.create(engine, checkfirst=True)
            except IntegrityError:
                # Rows from before the index break it (two live versions of a tenant): serve them
                # as they are, and say how to repair (a rollback leaves one live version).
                log.error(
                    "index %s not created: existing rows violate it (run faqbot faq rollback)", index.name
                )
    return engine


class Database:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed when the block ends normally, rolled back on an exception."""
        with self._sessions.begin() as session:
            yield session
