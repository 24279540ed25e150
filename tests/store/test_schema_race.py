"""Two processes opening a new database at once: the second waits for the first's schema."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, inspect

from bot.store.db import make_engine
from bot.store.models import Base

TABLE_DELAY_S = 0.2  # each CREATE TABLE this much later, so two unguarded openers overlap


@pytest.fixture(params=["sqlite", "postgresql"])
def new_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('store') / 'faqbot.db'}"
        return
    if not os.environ.get("FAQBOT_TEST_POSTGRES_URL"):
        pytest.skip("FAQBOT_TEST_POSTGRES_URL is not set: run the tests under scripts/services.sh")
    from tests.reliability.conftest import fresh_database

    with fresh_database() as url:
        yield url


@pytest.fixture
def slow_table_creation() -> Iterator[None]:
    def wait(*_args: Any, **_kw: Any) -> None:
        time.sleep(TABLE_DELAY_S)

    tables = Base.metadata.sorted_tables
    for table in tables:
        event.listen(table, "before_create", wait)
    yield
    for table in tables:
        event.remove(table, "before_create", wait)


@pytest.mark.usefixtures("slow_table_creation")
def test_two_openers_of_a_new_database_both_get_the_whole_schema(new_database: str) -> None:
    opened: list[object] = []
    openers = [threading.Thread(target=lambda: opened.append(_open(new_database))) for _ in range(2)]
    for opener in openers:
        opener.start()
        time.sleep(TABLE_DELAY_S / 2)  # the second looks for the tables while the first creates them
    for opener in openers:
        opener.join(timeout=60)
    assert opened == [sorted(Base.metadata.tables)] * 2


def _open(url: str) -> object:
    try:
        engine = make_engine(url)
    except Exception as error:  # the failure is what the test reports
        return error
    tables = sorted(inspect(engine).get_table_names())
    engine.dispose()
    return tables


def test_a_new_file_being_written_by_another_connection_is_waited_for(tmp_path: Path) -> None:
    # A new file is in rollback-journal mode until a connection switches it; while another
    # connection writes it, SQLite refuses the switch to WAL at once, busy timeout or not.
    path = tmp_path / "faqbot.db"
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    opened: list[object] = []
    opener = threading.Thread(target=lambda: opened.append(_open(f"sqlite:///{path}")))
    opener.start()
    opener.join(timeout=0.5)
    assert opener.is_alive()  # waiting, not failed
    other.execute("COMMIT")
    other.close()
    opener.join(timeout=60)
    assert opened == [sorted(Base.metadata.tables)]
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA journal_mode").fetchone() == ("wal",)
