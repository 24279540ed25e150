"""Token-bucket rate limits shared by every replica, in Redis (same contract as the in-process
``bot.api.limits.MemoryRateLimiter``: ``acquire`` returns 0.0 or the seconds to wait).

One Lua script per call: read, refill and take atomically, on Redis' clock so replicas whose
clocks differ still agree. When Redis is unreachable the limiter lets requests through (logged):
a visitor must not lose the chat because the abuse counter is down.
"""

from __future__ import annotations

import logging
import time

log = logging.getLogger(__name__)

_TAKE = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or burst
local ts = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(burst / rate) + 1)
return tostring(wait)
"""


class RedisRateLimiter:
    def __init__(self, url: str, prefix: str = "faqbot:rate:", warn_every: float = 60.0) -> None:
        import redis

        self._errors = (redis.RedisError,)
        self._client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        self._take = self._client.register_script(_TAKE)
        self.prefix = prefix
        self._warn_every = warn_every
        self._last_warning = 0.0

    def acquire(self, key: str, per_minute: float, burst: int) -> float:
        """0.0 when a token was taken, else the seconds until one is available."""
        try:
            wait = self._take(keys=[self.prefix + key], args=[per_minute / 60.0, burst])
        except self._errors as exc:
            now = time.monotonic()
            if now - self._last_warning > self._warn_every:
                self._last_warning = now
                log.warning("rate limiter cannot reach Redis (%s); not limiting", type(exc).__name__)
            return 0.0
        return float(wait)

    def close(self) -> None:
        self._client.close()
