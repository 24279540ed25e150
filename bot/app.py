"""create_app: the FastAPI gateway (chat API, widget, Kakao skill, operator API, action endpoint)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from bot.api import admin, chat, health, kakao, synonyms, tenants
from bot.api.errors import install_error_handlers
from bot.api.limits import install_limits
from bot.chat.session_stores import make_session_store
from bot.cluster.notify import make_notifier
from bot.console import router as console
from bot.dialogue import OwnRasa, close_dialogue, install_dialogue
from bot.observability import install_observability
from bot.operators import OperatorServices
from bot.portals import PortalRouter
from bot.portals.chat import PortalChat
from bot.runtime import Runtime
from bot.security import install_security
from bot.settings import Settings
from bot.web import pages
from nlu.korean import content_morphemes

log = logging.getLogger(__name__)


def create_app(
    settings: Settings, runtime: Runtime | None = None, own_rasa: OwnRasa | None = None
) -> FastAPI:
    """The gateway; ``own_rasa`` is the Rasa server ``faqbot serve`` started beside it."""
    runtime = runtime or Runtime(settings, background_dense=settings.index_in_background)
    operators = OperatorServices(runtime, settings.live_poll_interval, make_notifier(settings.redis_url))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(runtime.load_all)
        # Indexes loaded from disk touch neither the encoder nor Kiwi, which both load lazily (seconds
        # each): warm them here, so /readyz is honest and no visitor pays for it.
        await run_in_threadpool(runtime.encoder.encode, ["준비"])
        await run_in_threadpool(content_morphemes, "준비")
        operators.start()
        yield
        await close_dialogue(app)
        await run_in_threadpool(operators.stop)

    app = FastAPI(
        title="faqbot",
        description="지역 기반 한국어 FAQ 챗봇 API — region-aware Korean FAQ chatbot",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.runtime = runtime
    install_dialogue(app, settings, runtime, own_rasa)
    app.state.recorder = runtime.store.turns  # masks personal data before storing
    app.state.operators = operators
    app.state.chat_sessions = make_session_store(settings.redis_url)
    app.state.portal_chat = PortalChat(PortalRouter.load(runtime))
    install_error_handlers(app)
    install_limits(app, settings, runtime)
    app.include_router(health.router)
    app.include_router(chat.router)
    app.include_router(tenants.router)
    app.include_router(kakao.router)
    app.include_router(pages.router)
    app.include_router(admin.router)
    app.include_router(synonyms.router)
    app.include_router(console.router)
    install_security(app, settings)
    install_observability(app)  # its middleware must be outside every route's
    # Outside all: the rate limits, the auth throttle and the logs see the visitor's address, not
    # the load balancer's, but only from the proxies the deployment trusts.
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips)
    channels = [(t.id, t.kakao) for t in runtime.tenants]
    channels += [(p.id, p.settings.kakao) for p in app.state.portal_chat.portals]
    for owner, channel in channels:
        if channel.open and channel.secret is None:
            log.warning("%s: the Kakao skill endpoint is open (kakao.open, no secret)", owner)
    return app
