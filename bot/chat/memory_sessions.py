"""Session state kept in this process's memory with a time-to-live (one app replica)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from bot.chat.sessions import SessionState


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
