"""Chat session state in Redis: shared by replicas, expiring, and open when Redis is down."""

from __future__ import annotations

import time

import pytest
import redis

from bot.chat.memory_sessions import MemorySessionStore
from bot.chat.redis_sessions import RedisSessionStore
from bot.chat.session_stores import make_session_store
from bot.chat.sessions import SessionState


@pytest.mark.services
def test_a_session_saved_by_one_replica_is_loaded_by_the_other(redis_url: str) -> None:
    a, b = RedisSessionStore(redis_url), RedisSessionStore(redis_url)
    state = SessionState(
        fallbacks=1, last_faq_id="parking", offered={"주차장 위치": '/choose_faq{"faq_id":"parking"}'}
    )
    a.save("seohae-mudfest:s1", state)
    assert b.load("seohae-mudfest:s1") == state
    assert b.load("gaeram-univ:s1") == SessionState()  # another tenant's session is another key
    a.close()
    b.close()


@pytest.mark.services
def test_idle_sessions_expire_and_unreadable_ones_start_afresh(redis_url: str) -> None:
    store = RedisSessionStore(redis_url, ttl=1)
    store.save("t:s", SessionState(fallbacks=1))
    assert store.load("t:s").fallbacks == 1
    time.sleep(2.1)
    assert store.load("t:s") == SessionState()
    redis.Redis.from_url(redis_url).set("faqbot:session:t:odd", b'{"unknown_field": 1}')
    assert store.load("t:odd") == SessionState()
    store.close()


def test_unreachable_redis_starts_turns_afresh_quickly() -> None:
    store = RedisSessionStore("redis://127.0.0.1:1/0")
    started = time.monotonic()
    store.save("t:s", SessionState(fallbacks=1))
    assert store.load("t:s") == SessionState()
    assert time.monotonic() - started < 3


def test_redis_url_selects_the_shared_store() -> None:
    assert isinstance(make_session_store(None), MemorySessionStore)
    assert isinstance(make_session_store("redis://127.0.0.1:1/0"), RedisSessionStore)
