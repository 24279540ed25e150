"""Liveness and readiness probes."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    """Ready only when every tenant's index is loaded; also says whether Rasa answers."""
    runtime = request.app.state.runtime
    dialogue = request.app.state.dialogue
    ready = runtime.is_ready()
    body = {
        "ready": ready,
        "tenants": {t.id: runtime.is_loaded(t.id) for t in runtime.tenants},
        "rasa": await dialogue.reachable() if dialogue else None,
    }
    return JSONResponse(body, status_code=200 if ready else 503)
