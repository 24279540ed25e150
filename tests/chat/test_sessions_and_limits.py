"""The in-memory session store and token-bucket limiter, on a hand-driven clock."""

from __future__ import annotations

from bot.api.limits import MemoryRateLimiter
from bot.chat.memory_sessions import MemorySessionStore
from bot.chat.sessions import SessionState


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_sessions_expire_after_ttl_and_are_copies() -> None:
    clock = Clock()
    store = MemorySessionStore(ttl=60, clock=clock)
    state = SessionState(fallbacks=1, offered={"교통": "교통 안내"})
    store.save("t:s", state)
    state.offered["x"] = "y"  # the caller's later edits do not leak into the store
    assert store.load("t:s") == SessionState(fallbacks=1, offered={"교통": "교통 안내"})
    clock.now += 61
    assert store.load("t:s") == SessionState()


def test_session_store_is_bounded() -> None:
    store = MemorySessionStore(max_sessions=2, clock=Clock())
    for key in ("a", "b", "c"):
        store.save(key, SessionState(fallbacks=1))
    assert len(store) == 2 and store.load("a") == SessionState() and store.load("c").fallbacks == 1


def test_token_bucket_allows_a_burst_then_refills_at_the_rate() -> None:
    clock = Clock()
    limiter = MemoryRateLimiter(clock=clock)
    assert [limiter.acquire("k", per_minute=30, burst=3) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.acquire("k", per_minute=30, burst=3) == 2.0  # one token every 2 s
    clock.now += 2.0
    assert limiter.acquire("k", per_minute=30, burst=3) == 0.0
    assert limiter.acquire("other", per_minute=30, burst=3) == 0.0
