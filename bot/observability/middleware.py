"""ASGI middleware: request id in and out, one access log line and request metrics per request."""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.observability.context import REQUEST_ID_HEADER, accepted_request_id, start_request
from bot.observability.metrics import Metrics

log = logging.getLogger("faqbot.access")
OTHER = "other"  # unmatched paths (scanners, typos) share one label instead of one each
_TENANT_PARAMS = ("tenant_id", "tenant")


def route_template(scope: Scope) -> str:
    """The matched route's path template (``/api/v1/tenants/{id}``), set in the scope by the router."""
    route = scope.get("route")
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    return template if isinstance(template, str) else OTHER


def path_tenant(template: str, params: dict[str, Any]) -> str | None:
    for name in _TENANT_PARAMS:
        if isinstance(params.get(name), str):
            return str(params[name])
    if "/tenants/{id}" in template and isinstance(params.get("id"), str):
        return str(params["id"])
    return None


class ObservabilityMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = accepted_request_id(Headers(scope=scope).get(REQUEST_ID_HEADER))
        # Not reset afterwards on purpose: each request runs in its own task (own context), and
        # the server-error handler outside this middleware logs with the id still bound.
        info = start_request(request_id)
        status = 500
        start = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - start
            template = route_template(scope)
            tenant = info.tenant or path_tenant(template, scope.get("path_params", {}))
            method = scope["method"]
            self.metrics.observe_request(template, method, status, tenant, seconds)
            log.info(
                "%s %s %d %.1fms",
                method,
                template,
                status,
                seconds * 1000,
                extra={
                    "endpoint": template,
                    "method": method,
                    "status": status,
                    "tenant": self.metrics.tenant_label(tenant),
                    "ms": round(seconds * 1000, 1),
                },
            )
