"""Protections of the public endpoints: body size, rate limits, per-tenant CORS, security headers.

Pure ASGI middleware (no BaseHTTPMiddleware) so that the chat path stays cheap under load.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Protocol

from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.api.errors import error_response
from bot.cluster.rate_limit import RedisRateLimiter
from bot.errors import FaqbotError
from bot.runtime import Runtime
from bot.settings import ChatLimits, Settings

# Same-origin and tenant-listed pages may call these; everything else is for servers or operators.
CORS_PATHS = ("/api/v1/chat", "/api/v1/tenants/")
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
]
# For faqbot's own HTML pages (demo page): scripts and styles only from this server.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'"
)


class OriginNotAllowed(FaqbotError):
    status = 403
    code = "origin_not_allowed"

    def __init__(self) -> None:
        super().__init__(
            "이 사이트에서는 이 챗봇을 사용할 수 없습니다.", "origin not allowed for this tenant"
        )


class RateLimiter(Protocol):
    """Token buckets by key; a shared store (Redis, issue 8) can implement the same method."""

    def acquire(self, key: str, per_minute: float, burst: int) -> float:
        """0.0 when a token was taken, else the seconds until one is available."""
        ...


class MemoryRateLimiter:
    """In-process token buckets, at most ``max_keys`` of them (least recently used dropped first)."""

    def __init__(self, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_keys = max_keys
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def acquire(self, key: str, per_minute: float, burst: int) -> float:
        rate = per_minute / 60.0
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(burst), now))
            tokens = min(float(burst), tokens + (now - last) * rate)
            wait = 0.0 if tokens >= 1.0 else (1.0 - tokens) / rate
            self._buckets[key] = (tokens - 1.0 if wait == 0.0 else tokens, now)
            self._buckets.move_to_end(key)
            if len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
            return wait


def origin_allowed(origin: str, own_origin: str, allowed: Iterable[str]) -> bool:
    """Pages on faqbot's own origin may always call it; others only when a tenant lists them."""
    return origin == own_origin or origin in allowed


def own_origin(scope: Scope) -> str:
    headers = Headers(scope=scope)
    return f"{scope.get('scheme', 'http')}://{headers.get('host', '')}"


class BodySizeLimit:
    """413 for bodies over ``max_bytes`` on ``paths``: by Content-Length, and while streaming (chunked)."""

    def __init__(self, app: ASGIApp, max_bytes: int, paths: tuple[str, ...]) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.paths):
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await self._reject(scope, receive, send)
            return
        # Buffer the (small) body up front so an oversized stream is refused before any parsing.
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._reject(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit_kb = self.max_bytes // 1024
        response = error_response(
            413,
            "request_too_large",
            f"요청이 너무 큽니다 ({limit_kb}KB 이하).",
            f"request body larger than {self.max_bytes} bytes",
            headers={"connection": "close"},
        )
        await response(scope, receive, send)


class TenantCors:
    """CORS for the widget's API calls: origins listed by any tenant pass the preflight.

    The tenant is in the request body, unknown at preflight time, so the chat route checks the
    origin against that tenant's own list again (``OriginNotAllowed``).
    """

    def __init__(self, app: ASGIApp, allowed_origins: Callable[[], set[str]]) -> None:
        self.app = app
        self.allowed_origins = allowed_origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(CORS_PATHS):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        allowed = origin is not None and origin_allowed(origin, own_origin(scope), self.allowed_origins())
        if scope["method"] == "OPTIONS" and origin and "access-control-request-method" in headers:
            await self._preflight(scope, receive, send, origin if allowed else None)
            return
        if not allowed or origin is None:
            await self.app(scope, receive, send)
            return
        cors = [(b"access-control-allow-origin", origin.encode("latin-1")), (b"vary", b"Origin")]

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *cors]}
            await send(message)

        await self.app(scope, receive, send_with_cors)

    async def _preflight(self, scope: Scope, receive: Receive, send: Send, origin: str | None) -> None:
        response: Response
        if origin is None:
            denied = OriginNotAllowed()
            response = error_response(403, denied.code, denied.message_ko, denied.message_en)
        else:
            response = Response(
                status_code=204,
                headers={
                    "access-control-allow-origin": origin,
                    "access-control-allow-methods": "GET, POST",
                    "access-control-allow-headers": "content-type",
                    "access-control-max-age": "600",
                    "vary": "Origin",
                },
            )
        await response(scope, receive, send)


class SecurityHeaders:
    """nosniff and a referrer policy on every response (pages add their own CSP)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def check_rate(
    limiter: RateLimiter,
    limits: ChatLimits,
    client: str | None,
    session: str | None,
    client_bucket: str = "client",
) -> None:
    """429 with Retry-After when the client address or the session has used up its bucket (the
    address's bucket is named ``client_bucket``, so channels with other rates keep their own)."""
    if not limits.enabled:
        return
    waits = [0.0]
    if client:
        waits.append(
            limiter.acquire(f"{client_bucket}:{client}", limits.client_per_minute, limits.client_burst)
        )
    if session:
        waits.append(limiter.acquire(f"session:{session}", limits.session_per_minute, limits.session_burst))
    wait = max(waits)
    if wait > 0:
        raise HTTPException(429, "too many requests", headers={"Retry-After": str(max(1, math.ceil(wait)))})


def install_limits(app: FastAPI, settings: Settings, runtime: Runtime) -> None:
    """Body size, CORS and security-header middleware, plus the limiter the chat routes use."""
    # Shared by every replica when the deployment has Redis, else per process.
    limiter: RateLimiter = RedisRateLimiter(settings.redis_url) if settings.redis_url else MemoryRateLimiter()
    app.state.rate_limiter = limiter

    def allowed_origins() -> set[str]:
        # Read per request: tenants and portals (app.state.portal_chat) each list their own sites.
        portals = [portal.settings for portal in app.state.portal_chat.portals]
        return {origin for site in [*runtime.tenants, *portals] for origin in site.origins}

    app.add_middleware(TenantCors, allowed_origins=allowed_origins)
    app.add_middleware(
        BodySizeLimit, max_bytes=settings.chat_limits.max_body_bytes, paths=("/api/v1/chat", "/kakao/")
    )
    app.add_middleware(SecurityHeaders)
