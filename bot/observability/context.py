"""Per-request context: the request id and the tenant a request concerns.

Context variables, so every log record and metric of a request can find them without threading
arguments through the gateway, the dialogue client and the actions.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

REQUEST_ID_HEADER = "X-Request-ID"
# Accepted from clients and proxies only in this shape: an id ends up in every log line, so a
# hostile header must not be able to forge log fields or lines.
_VALID_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


@dataclass
class RequestInfo:
    """Mutable per-request facts filled in while the request is handled (read by the middleware)."""

    tenant: str | None = None


_request_id: ContextVar[str | None] = ContextVar("faqbot_request_id", default=None)
_request_info: ContextVar[RequestInfo | None] = ContextVar("faqbot_request_info", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


def accepted_request_id(candidate: str | None) -> str:
    """The client's id when it is well-formed, else a fresh one."""
    if candidate and _VALID_ID.fullmatch(candidate):
        return candidate
    return new_request_id()


def current_request_id() -> str | None:
    """The id of the request being handled (forward it to Rasa as message metadata)."""
    return _request_id.get()


def start_request(request_id: str) -> RequestInfo:
    """Bind a new request's id and facts to the current context (one asyncio task per request)."""
    info = RequestInfo()
    _request_id.set(request_id)
    _request_info.set(info)
    return info


@contextmanager
def bind_request_id(request_id: str | None) -> Iterator[str]:
    """Bind an id received from elsewhere (e.g. Rasa's metadata in the action endpoint) for a block."""
    rid = accepted_request_id(request_id)
    token = _request_id.set(rid)
    try:
        yield rid
    finally:
        _request_id.reset(token)


def tag_tenant(tenant_id: str) -> None:
    """Say which tenant the current request concerns (for tenant-labelled request metrics)."""
    info = _request_info.get()
    if info is not None:
        info.tenant = tenant_id
