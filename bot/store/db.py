"""Engine and session factory for the operator store (SQLite file by default, Postgres if configured)."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.store.models import Base

log = logging.getLogger(__name__)


_BUSY_TIMEOUT_S = 10.0
_WAL_RETRY_S = 0.05


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    # The CLI and a running server share the file: WAL lets readers run beside a writer and
    # the driver's timeout (SQLite's busy timeout, make_engine) makes a writer wait for the other
    # instead of failing with "database is locked".
    cursor = connection.cursor()
    _switch_to_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _switch_to_wal(cursor: sqlite3.Cursor) -> None:
    # While another connection writes a file not yet in WAL (two processes switching a new file at
    # once), SQLite refuses the switch at once, without the busy timeout, to rule out a deadlock:
    # it is retried until the other is done, and then finds WAL already set.
    deadline = time.monotonic() + _BUSY_TIMEOUT_S
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
            time.sleep(_WAL_RETRY_S)


# Two processes opening a new database at once would both find a table missing and both create it
# (the loser fails with "already exists"): the schema is checked and created in one transaction
# that holds the database's write lock, so the second waits and then finds it all there.
_SCHEMA_LOCK_KEY = 0x66617162  # "faqb": the Postgres advisory lock of the schema step


def _hold_schema_lock(connection: Connection) -> None:
    """Takes the lock the schema step runs under, until the connection's transaction ends."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_SCHEMA_LOCK_KEY})")


def _create_schema(engine: Engine) -> None:
    with engine.connect() as connection:
        _hold_schema_lock(connection)
        Base.metadata.create_all(connection)
        _create_missing_indexes(connection)
        connection.commit()


def _create_missing_indexes(connection: Connection) -> None:
    # create_all skips tables that exist: a database made before an index was added gets it here.
    for table in Base.metadata.sorted_tables:
        for index in table.indexes:
            try:
                # A savepoint, so that a failed index does not abort the schema transaction.
                with connection.begin_nested():
                    index.create(connection, checkfirst=True)
            except IntegrityError:
                # Rows from before the index break it (two live versions of a tenant): serve them
                # as they are, and say how to repair (a rollback leaves one live version).
                log.error(
                    "index %s not created: existing rows violate it (run faqbot faq rollback)", index.name
                )


def make_engine(url: str) -> Engine:
    """An engine with the schema created (idempotent), ready for the repositories."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": _BUSY_TIMEOUT_S})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    _create_schema(engine)
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
