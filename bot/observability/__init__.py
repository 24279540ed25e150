"""Observability: Prometheus metrics, JSON logs, and a request id that follows a turn end to end.

``install_observability(app)`` wires it into the gateway; ``app.state.metrics`` is the
:class:`Metrics` the chat service, the dialogue client and the publisher report to.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from fastapi import FastAPI

from bot.observability.context import (
    REQUEST_ID_HEADER,
    bind_request_id,
    current_request_id,
    tag_tenant,
)
from bot.observability.logs import JsonFormatter, configure_logging, install_request_id_factory
from bot.observability.metrics import LiveIndex, Metrics
from bot.observability.middleware import ObservabilityMiddleware
from bot.observability.recorder import CountingRecorder
from bot.observability.routes import router

if TYPE_CHECKING:  # bot.runtime imports modules that import bot.observability.context
    from bot.runtime import Runtime

__all__ = [
    "REQUEST_ID_HEADER",
    "JsonFormatter",
    "Metrics",
    "bind_request_id",
    "configure_logging",
    "current_request_id",
    "install_observability",
    "tag_tenant",
]


def _live_indexes(runtime: Runtime) -> Iterator[LiveIndex]:
    for tenant in runtime.tenants:
        if runtime.is_loaded(tenant.id):
            index = runtime.index(tenant.id)
            yield LiveIndex(tenant.id, runtime.serving_version(tenant.id), index.faq_hash, len(index.entries))


def install_observability(app: FastAPI) -> Metrics:
    """Add /metrics, the request-id/metrics middleware and ``app.state.metrics`` to the app, and
    count chat decisions by wrapping ``app.state.recorder``.

    Call it last in create_app so the middleware is outermost and also sees requests that other
    middleware (CORS, rate limits) answers itself.
    """
    runtime: Runtime = app.state.runtime
    metrics = Metrics(known_tenant=lambda tenant_id: tenant_id in runtime.tenants)
    metrics.watch_index_versions(lambda: _live_indexes(runtime))
    cache = runtime.search_cache
    metrics.watch_cache(lambda: (cache.hits, cache.misses, len(cache)))
    install_request_id_factory()
    app.state.metrics = metrics
    recorder = getattr(app.state, "recorder", None)
    if recorder is not None:
        app.state.recorder = CountingRecorder(recorder, metrics)
    app.include_router(router)
    app.add_middleware(ObservabilityMiddleware, metrics=metrics)
    return metrics
