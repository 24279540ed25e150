"""The app environment's Postgres and Redis clients against the real servers of scripts/services.sh."""

from __future__ import annotations

import pytest
import redis
from sqlalchemy import create_engine, text

from bot.store import Store
from retrieval import FaqEntry

pytestmark = pytest.mark.services


def test_postgres_round_trips_korean_text(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (id serial PRIMARY KEY, body text NOT NULL)"))
        conn.execute(text("INSERT INTO t (body) VALUES (:b)"), {"b": "셔틀버스 타는 곳 🚌"})
    with engine.connect() as conn:
        assert conn.execute(text("SELECT body FROM t")).scalar_one() == "셔틀버스 타는 곳 🚌"
    engine.dispose()


def test_redis_counters_and_expiry(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    assert client.ping()
    assert client.incr("faqbot:test:count") == 1
    assert client.incr("faqbot:test:count") == 2
    client.set("faqbot:test:ttl", "값", ex=60)
    assert client.get("faqbot:test:ttl") == "값".encode()
    assert 0 < client.ttl("faqbot:test:ttl") <= 60
    client.close()


def test_operator_store_on_postgres(postgres_url: str) -> None:
    """The operator store (versions, tokens, audit) runs unchanged on Postgres."""
    store = Store(postgres_url)
    entries = [FaqEntry("parking", "교통", "주차장 어디예요?", "북문 주차장을 이용하세요.")]
    draft = store.versions.create("seohae-mudfest", entries, {}, "faq.csv", "test")
    store.versions.make_live("seohae-mudfest", draft.version, "test")
    live = store.versions.live("seohae-mudfest")
    assert live is not None and live.version == draft.version and live.entries == tuple(entries)
    assert store.versions.live_numbers() == {"seohae-mudfest": draft.version}
    token = store.tokens.create("seohae-mudfest", "ops")
    principal = store.tokens.verify(token)
    assert principal is not None and principal.may_manage("seohae-mudfest")
    assert not principal.may_manage("gaeram-univ")
    store.close()
