"""Checks of "at most one live version per tenant" shared by the SQLite and the Postgres tests."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from bot.errors import FaqbotError
from bot.store import Store
from bot.store.models import FaqVersionRow, SynonymVersionRow
from retrieval import FaqEntry

TENANT = "t1"
ENTRIES = [FaqEntry("a", "분류", "질문 A", "답변 A")]


def live_rows(store: Store, model: type[FaqVersionRow] | type[SynonymVersionRow]) -> int:
    with store.db.session() as s:
        return s.scalar(select(func.count()).where(model.tenant == TENANT, model.state == "live")) or 0


def check_database_refuses_a_second_live_row(store: Store) -> None:
    """Past all application code: a plain UPDATE making a second row live is refused."""
    store.versions.create(TENANT, ENTRIES, {}, "seed", "seed", state="live")
    store.versions.create(TENANT, ENTRIES, {}, "draft", "op")
    store.synonyms.save(TENANT, {"주차장": ["주차"]}, "a", "op")
    store.synonyms.save(TENANT, {"주차장": ["파킹"]}, "b", "op")
    for model, version in ((FaqVersionRow, 2), (SynonymVersionRow, 1)):
        with pytest.raises(IntegrityError), store.db.session() as s:
            s.execute(
                update(model).where(model.tenant == TENANT, model.version == version).values(state="live")
            )
        assert live_rows(store, model) == 1


def publish_at_once(url: str, drafts: int, base: int | None) -> list[str]:
    """``drafts`` drafts made live at the same moment, each by its own store (a replica or the CLI);
    what each publisher got: "live" or the error code."""
    setup = Store(url)
    setup.versions.create(TENANT, ENTRIES, {}, "seed", "seed", state="live")
    numbers = [setup.versions.create(TENANT, ENTRIES, {}, f"d{i}", "op").version for i in range(drafts)]
    setup.close()
    stores = [Store(url) for _ in numbers]
    start = threading.Barrier(len(numbers))
    outcomes: list[str] = []

    def publish(store: Store, number: int) -> None:
        start.wait()
        try:
            store.versions.make_live(TENANT, number, f"op{number}", base=base)
            outcomes.append("live")
        except FaqbotError as exc:
            outcomes.append(exc.code)

    threads = [threading.Thread(target=publish, args=pair) for pair in zip(stores, numbers, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for store in stores:
        store.close()
    return outcomes
