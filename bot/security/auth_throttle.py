"""Brute-force protection for operator tokens: too many failed authentications from one client
address in a window → 429 with Retry-After, before the token is even looked at.

Observed from outside the auth dependency (every 401 on the protected prefix counts), so each
route's authentication needs no change.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.api.errors import error_response


class FailureWindow:
    """Failures per key in a sliding window; at most ``max_keys`` keys (least recent dropped)."""

    def __init__(
        self, limit: int, window: float, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def retry_after(self, key: str) -> float:
        """Seconds until ``key`` may try again; 0 when it may now."""
        now = self._clock()
        with self._lock:
            times = self._failures.get(key)
            if not times:
                return 0.0
            while times and times[0] <= now - self.window:
                times.popleft()
            if len(times) < self.limit:
                return 0.0
            return times[-self.limit] + self.window - now

    def failed(self, key: str) -> None:
        now = self._clock()
        with self._lock:
            times = self._failures.setdefault(key, deque(maxlen=self.limit))
            times.append(now)
            self._failures.move_to_end(key)
            if len(self._failures) > self.max_keys:
                self._failures.popitem(last=False)


class AuthFailureThrottle:
    def __init__(self, app: ASGIApp, failures: FailureWindow, path_prefix: str) -> None:
        self.app = app
        self.failures = failures
        self.path_prefix = path_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.path_prefix):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        key = client[0] if client else "-"
        wait = self.failures.retry_after(key)
        if wait > 0:
            response = error_response(
                429,
                "too_many_auth_failures",
                "인증 실패가 너무 많습니다. 잠시 후 다시 시도해 주세요.",
                "too many failed authentications; retry later",
                headers={"Retry-After": str(max(1, math.ceil(wait)))},
            )
            await response(scope, receive, send)
            return

        async def send_counting_failures(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 401:
                self.failures.failed(key)
            await send(message)

        await self.app(scope, receive, send_counting_failures)
