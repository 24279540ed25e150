"""create_app: the FastAPI gateway (chat API, widget, Kakao skill, operator API, action endpoint)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from bot.api import health
from bot.api.errors import install_error_handlers
from bot.runtime import Runtime
from bot.settings import Settings

log = logging.getLogger(__name__)


def create_app(settings: Settings, runtime: Runtime | None = None) -> FastAPI:
    runtime = runtime or Runtime(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(runtime.load_all)
        yield

    app = FastAPI(
        title="faqbot",
        description="지역 기반 한국어 FAQ 챗봇 API — region-aware Korean FAQ chatbot",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.runtime = runtime
    app.state.dialogue = None
    install_error_handlers(app)
    app.include_router(health.router)
    return app
