"""FAQ versions: numbering, one live version per tenant, listing without entries; turns masked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from bot.chat.models import Turn
from bot.store import Store, VersionNotFound
from bot.store.models import FaqVersionRow
from retrieval import FaqEntry
from tests.store.one_live import check_database_refuses_a_second_live_row, live_rows, publish_at_once

ENTRIES = [FaqEntry("a", "분류", "질문 A", "답변 A", ("다른 A",), "https://example.kr/a")]
REPORT: dict[str, list[object]] = {"errors": [], "warnings": []}


def test_versions_are_numbered_per_tenant(store: Store) -> None:
    first = store.versions.create("t1", ENTRIES, REPORT, "a.csv", "op")
    second = store.versions.create("t1", ENTRIES, REPORT, "b.csv", "op")
    other = store.versions.create("t2", ENTRIES, REPORT, "c.csv", "op")
    assert (first.version, second.version, other.version) == (1, 2, 1)
    assert first.state == "draft"
    assert store.versions.get("t1", 1).entries == tuple(ENTRIES)


def test_make_live_retires_the_previous_live_version(store: Store) -> None:
    store.versions.create("t1", ENTRIES, REPORT, "seed", "seed", state="live")
    store.versions.create("t1", ENTRIES, REPORT, "new.csv", "op")
    assert store.versions.live_numbers() == {"t1": 1}
    store.versions.make_live("t1", 2, "token:abc")
    states = {v.version: v.state for v in store.versions.list("t1")}
    assert states == {1: "retired", 2: "live"}
    live = store.versions.live("t1")
    assert live is not None and live.published_by == "token:abc"
    assert live.published_at is not None and live.published_at.tzinfo is not None
    assert store.versions.list("t1")[0].entries == ()  # listings do not load entries


def test_unknown_version_is_a_404_error(store: Store) -> None:
    with pytest.raises(VersionNotFound) as caught:
        store.versions.get("t1", 7)
    assert caught.value.status == 404


def test_turns_are_stored_masked(store: Store) -> None:
    start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1)
    store.turns.record(Turn("t1", "s1", "제 번호 010-1234-5678로 연락 주세요", "fallback", None, 0.2))
    rows = store.turns.since("t1", start)
    assert [r.text for r in rows] == ["제 번호 [전화번호]로 연락 주세요"]
    assert rows[0].decision == "fallback"


def test_text_cache_keeps_the_first_value_and_tolerates_races(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.text_cache.put_many({"a": b"1", "b": b"2"})
    store.text_cache.put_many({"a": b"x", "c": b"3"})
    # As if another writer stored "c" after this one looked: its value stays, the rest is stored.
    monkeypatch.setattr(store.text_cache, "get_many", lambda keys: {})
    store.text_cache.put_many({"c": b"y", "d": b"4"})
    monkeypatch.undo()
    assert store.text_cache.get_many(["a", "b", "c", "d", "e"]) == {
        "a": b"1",
        "b": b"2",
        "c": b"3",
        "d": b"4",
    }


def test_sqlite_refuses_a_second_live_version(store: Store) -> None:
    check_database_refuses_a_second_live_row(store)


def test_a_database_made_before_the_one_live_index_gets_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = create_engine(url)
    with old.begin() as conn:
        conn.execute(text("CREATE TABLE faq_versions (id INTEGER PRIMARY KEY, tenant TEXT, state TEXT)"))
    old.dispose()
    store = Store(url)
    names = {i["name"] for i in inspect(store.db.engine).get_indexes("faq_versions")}
    store.close()
    assert "uq_faq_versions_one_live" in names


def test_concurrent_publishes_of_one_base_leave_one_live_version(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'faqbot.db'}"
    outcomes = publish_at_once(url, drafts=4, base=1)
    assert sorted(outcomes) == ["base_not_live"] * 3 + ["live"]
    store = Store(url)
    assert live_rows(store, FaqVersionRow) == 1
    store.close()
