"""At most one live FAQ and synonym version per tenant on real Postgres, also under concurrent
publishes from several processes' stores (replicas, the CLI)."""

from __future__ import annotations

import pytest

from bot.store import Store
from bot.store.models import FaqVersionRow
from tests.store.one_live import check_database_refuses_a_second_live_row, live_rows, publish_at_once

pytestmark = pytest.mark.services


def test_postgres_refuses_a_second_live_version(postgres_url: str) -> None:
    store = Store(postgres_url)
    check_database_refuses_a_second_live_row(store)
    store.close()


@pytest.mark.parametrize("base", [1, None], ids=["drafts-of-one-base", "rollbacks"])
def test_concurrent_publishes_leave_exactly_one_live_version(postgres_url: str, base: int | None) -> None:
    outcomes = publish_at_once(postgres_url, drafts=6, base=base)
    store = Store(postgres_url)
    assert live_rows(store, FaqVersionRow) == 1
    live = store.versions.live("t1")
    assert live is not None and store.versions.live_numbers() == {"t1": live.version}
    store.close()
    if base is not None:
        # Each draft was made from version 1: exactly one may replace it.
        assert sorted(outcomes) == ["base_not_live"] * 5 + ["live"]
    else:
        assert "live" in outcomes and set(outcomes) <= {"live", "concurrent_publish"}
