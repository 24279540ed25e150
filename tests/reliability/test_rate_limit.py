"""Rate limits shared by replicas through Redis; open (not failing) when Redis is down."""

from __future__ import annotations

import time

import pytest

from bot.cluster.rate_limit import RedisRateLimiter

pytestmark = pytest.mark.services


def test_two_replicas_share_one_bucket(redis_url: str) -> None:
    a, b = RedisRateLimiter(redis_url), RedisRateLimiter(redis_url)
    taken = [limiter.acquire("client:10.0.0.1", per_minute=60, burst=4) for limiter in (a, b, a, b)]
    assert taken == [0.0, 0.0, 0.0, 0.0]
    wait = b.acquire("client:10.0.0.1", per_minute=60, burst=4)
    assert 0.5 < wait <= 1.0  # one token a second: the fifth request waits up to a second
    assert a.acquire("client:10.0.0.2", per_minute=60, burst=4) == 0.0  # other keys unaffected
    time.sleep(wait + 0.05)
    assert a.acquire("client:10.0.0.1", per_minute=60, burst=4) == 0.0  # refilled
    a.close()
    b.close()


def test_unreachable_redis_lets_requests_through_quickly() -> None:
    limiter = RedisRateLimiter("redis://127.0.0.1:1/0")
    started = time.monotonic()
    assert limiter.acquire("client:10.0.0.1", per_minute=1, burst=1) == 0.0
    assert time.monotonic() - started < 2
