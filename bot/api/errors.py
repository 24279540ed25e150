"""The one JSON error shape: {"error": {"code", "message" (Korean), "message_en"}}."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.errors import FaqbotError

log = logging.getLogger(__name__)

_HTTP_MESSAGES = {
    400: ("잘못된 요청입니다.", "bad request"),
    401: ("인증이 필요합니다.", "authentication required"),
    403: ("권한이 없습니다.", "forbidden"),
    404: ("찾을 수 없습니다.", "not found"),
    405: ("허용되지 않는 메서드입니다.", "method not allowed"),
    413: ("요청이 너무 큽니다.", "request too large"),
    422: ("요청 형식이 올바르지 않습니다.", "invalid request"),
    429: ("요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.", "too many requests"),
}


def error_response(
    status: int, code: str, message_ko: str, message_en: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {"error": {"code": code, "message": message_ko, "message_en": message_en}}
    return JSONResponse(body, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(FaqbotError)
    async def domain_error(_: Request, exc: FaqbotError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message_ko, exc.message_en)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        ko, en = _HTTP_MESSAGES.get(exc.status_code, ("오류가 발생했습니다.", "error"))
        detail = exc.detail if isinstance(exc.detail, str) else en
        headers = getattr(exc, "headers", None)
        return error_response(exc.status_code, f"http_{exc.status_code}", ko, detail or en, headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        # Field locations only: the rejected input itself is never echoed back.
        fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors())
        return error_response(
            422, "invalid_request", f"요청 형식이 올바르지 않습니다: {fields}", f"invalid: {fields}"
        )

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return error_response(500, "internal", "일시적인 오류가 발생했습니다.", "internal error")
