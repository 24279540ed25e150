"""Rasa's action endpoint, served by the app: rasa-sdk's executor with the app's Runtime injected.

Rasa's ``endpoints.yml`` points at ``POST /webhook`` on loopback; other clients are refused, since
the request carries a whole conversation tracker the actions trust.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import (
    ActionExecutionRejection,
    ActionMissingDomainException,
    ActionNotFoundException,
)

from bot.observability.context import bind_request_id

router = APIRouter(include_in_schema=False)

_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


@router.post("/webhook")
async def webhook(request: Request) -> JSONResponse:
    if request.client is None or request.client.host not in _LOOPBACK:
        return JSONResponse({"error": "the action endpoint is for the local Rasa server only"}, 403)
    executor: ActionExecutor = request.app.state.action_executor
    call: dict[str, Any] = await request.json()
    metadata = (call.get("tracker") or {}).get("latest_message", {}).get("metadata") or {}
    with bind_request_id(metadata.get("request_id")):
        try:
            result = await executor.run(call)
        except ActionExecutionRejection as exc:
            return JSONResponse({"error": exc.message, "action_name": exc.action_name}, 400)
        except ActionNotFoundException as exc:
            return JSONResponse({"error": exc.message, "action_name": exc.action_name}, 404)
        except ActionMissingDomainException as exc:
            # 449 asks Rasa to resend the call with the domain (rasa-sdk's own protocol).
            return JSONResponse({"error": exc.message, "action_name": exc.action_name}, 449)
    return JSONResponse(result.model_dump() if result else None)
