"""Session state of the direct-retrieval path in Redis, shared by every app replica (scale-out).

A visitor's next message may reach another replica behind the load balancer; the buttons offered by
the first (typed titles → payloads) and the fallback count must follow them. Same contract as
``bot.chat.memory_sessions``; Redis expires idle sessions itself. When Redis is unreachable a turn starts
from a blank state (logged) rather than failing: the visitor still gets an answer.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict

from bot.chat.sessions import SessionState

log = logging.getLogger(__name__)


class RedisSessionStore:
    def __init__(
        self, url: str, ttl: float = 1800.0, prefix: str = "faqbot:session:", warn_every: float = 60.0
    ) -> None:
        import redis

        self._errors = (redis.RedisError,)
        self._client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        self.ttl = ttl
        self.prefix = prefix
        self._warn_every = warn_every
        self._last_warning = 0.0

    def load(self, key: str) -> SessionState:
        try:
            raw = self._client.get(self.prefix + key)
        except self._errors as exc:
            self._warn(exc)
            return SessionState()
        if raw is None:
            return SessionState()
        try:
            return SessionState(**json.loads(raw))
        except (ValueError, TypeError):
            # Written by an older or newer release with other fields: start the session afresh.
            log.warning("ignored an unreadable chat session")
            return SessionState()

    def save(self, key: str, state: SessionState) -> None:
        data = json.dumps(asdict(state), ensure_ascii=False)
        try:
            self._client.set(self.prefix + key, data, ex=max(1, round(self.ttl)))
        except self._errors as exc:
            self._warn(exc)

    def close(self) -> None:
        self._client.close()

    def _warn(self, exc: Exception) -> None:
        now = time.monotonic()
        if now - self._last_warning > self._warn_every:
            self._last_warning = now
            log.warning("chat sessions cannot reach Redis (%s); turns start afresh", type(exc).__name__)
