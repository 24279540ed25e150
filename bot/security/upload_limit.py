"""Reject oversized uploads by size, before any parsing: by Content-Length, or while streaming.

Unlike the chat body limit this never buffers: an operator upload may be megabytes, and the
multipart parser must never be handed more than the limit (a 100 MB or zip-bomb upload).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.api.errors import error_response


class UploadTooLarge(Exception):
    """Raised into the app's body reader once the stream passes the limit (the 413 is already sent)."""


class UploadSizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int, path_prefix: str) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.path_prefix = path_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.path_prefix):
            await self.app(scope, receive, send)
            return
        length = _content_length(scope)
        if length is not None and length > self.max_bytes:
            await self._reject(scope, receive, send)
            return
        received = 0
        rejected = False

        async def counted_receive() -> Message:
            nonlocal received, rejected
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes and not rejected:
                    rejected = True
                    await self._reject(scope, receive, send)
                    raise UploadTooLarge
            return message

        async def send_unless_rejected(message: Message) -> None:
            if not rejected:
                await send(message)

        try:
            await self.app(scope, counted_receive, send_unless_rejected)
        except UploadTooLarge:
            return
        except Exception:
            # A body reader may wrap the interruption in its own error; the client already has its 413.
            if not rejected:
                raise

    async def _reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        mb = self.max_bytes / (1024 * 1024)
        response = error_response(
            413,
            "upload_too_large",
            f"파일이 너무 큽니다 ({mb:g}MB 이하로 올려 주세요).",
            f"upload larger than {self.max_bytes} bytes",
            headers={"connection": "close"},
        )
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            # An unparsable length is treated as too large: nothing good comes from it.
            return int(value) if value.isdigit() else 1 << 62
    return None
