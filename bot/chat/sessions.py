"""Per-session state of the direct-retrieval path, kept in memory with a time-to-live.

A small interface so that a shared store (``bot.chat.redis_sessions``) replaces it in scale-out mode.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol


@dataclass
class SessionState:
    """What the direct path remembers between turns of one visitor."""

    fallbacks: int = 0
    last_faq_id: str | None = None
    # The tenant a portal visitor chose (/choose_tenant); None until they choose.
    chosen_tenant: str | None = None
    # A portal visitor's question waiting for them to choose a tenant (bot/portals).
    portal_question: str | None = None
    # Titles of the buttons last offered → their payloads, so typing (or a Kakao quick reply
    # sending) a button's title selects it exactly like a click.
    offered: dict[str, str] = field(default_factory=dict)
    # The visitor's language (ko/en/ja/zh): kept when a message is too short to tell ("ok", "👍").
    language: str | None = None


class SessionStore(Protocol):
    def load(self, key: str) -> SessionState: ...

    def save(self, key: str, state: SessionState) -> None: ...


class MemorySessionStore:
    """Least-recently-used sessions expire after ``ttl`` seconds; at most ``max_sessions`` are kept."""

    def __init__(
        self, ttl: float = 1800.0, max_sessions: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self.max_sessions = max_sessions
        self._clock = clock
        self._items: OrderedDict[str, tuple[float, SessionState]] = OrderedDict()
        self._lock = threading.Lock()

    def load(self, key: str) -> SessionState:
        now = self._clock()
        with self._lock:
            item = self._items.get(key)
            if item is None or now - item[0] > self.ttl:
                return SessionState()
            return _copy(item[1])

    def save(self, key: str, state: SessionState) -> None:
        now = self._clock()
        with self._lock:
            self._items[key] = (now, _copy(state))
            self._items.move_to_end(key)
            # Oldest first: drop expired sessions and any beyond the size bound.
            while self._items:
                oldest_key, (touched, _) = next(iter(self._items.items()))
                if now - touched <= self.ttl and len(self._items) <= self.max_sessions:
                    break
                del self._items[oldest_key]

    def __len__(self) -> int:
        return len(self._items)


def make_session_store(redis_url: str | None) -> SessionStore:
    """Redis (shared by every replica) when the deployment has it, else this process's memory."""
    if redis_url:
        # Imported here: the Redis store imports SessionState from this module.
        from bot.chat.redis_sessions import RedisSessionStore

        return RedisSessionStore(redis_url)
    return MemorySessionStore()


def _copy(state: SessionState) -> SessionState:
    # Callers mutate what they load; the store keeps its own copy.
    return SessionState(
        state.fallbacks,
        state.last_faq_id,
        state.chosen_tenant,
        state.portal_question,
        dict(state.offered),
        state.language,
    )
