"""RasaDialogue: one chat turn through Rasa's REST channel, or None when Rasa cannot answer in time.

One Rasa model serves every tenant: the tenant id travels as message metadata, and the sender id is
``tenant:session`` so two tenants' sessions can never share a Rasa tracker.
"""

from __future__ import annotations

import collections
import logging
from collections.abc import Callable
from typing import Any, Protocol

import httpx

from bot.chat.models import Button, ChatDecision, ChatReply, Message
from bot.observability.context import current_request_id

log = logging.getLogger(__name__)

REST_WEBHOOK = "/webhooks/rest/webhook"
# Key of the custom JSON message our actions end every turn with (see actions/reply.py).
META_KEY = "faqbot"
_DECISIONS: frozenset[str] = frozenset({"answer", "suggest", "fallback", "dialogue"})

# Idle connections are dropped before Rasa's server (Sanic) closes them after 5 s, so that a turn
# after a visitor's pause never goes out on a connection the server is closing.
KEEPALIVE_SECONDS = 2.0

# Rasa's answer to which start of which app it is (rasa_server/lifecycle.py).
INSTANCE_PATH = "/faqbot/instance"

Degraded = Callable[[str, str], None]


class OwnRasa(Protocol):
    """The Rasa server this app started and supervises (bot.dialogue.sidecar.RasaSidecar)."""

    @property
    def instance(self) -> str:
        """The nonce its current start answers at ``/faqbot/instance``."""
        ...

    def ready(self) -> bool:
        """Its current start answers as ours, model loaded and warmed up."""
        ...


class RasaDialogue:
    """The gateway's client of the Rasa server (``Settings.rasa_url``).

    With ``own`` (the Rasa ``faqbot serve`` started), turns go to Rasa only while it is ready, and
    readiness needs that very start to answer; without it, any Rasa at the URL counts.
    """

    def __init__(
        self, url: str, timeout: float, on_degraded: Degraded | None = None, own: OwnRasa | None = None
    ) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.on_degraded = on_degraded
        self.own = own
        # Turns answered without Rasa, by reason (timeout, unreachable, error, empty).
        self.degradations: collections.Counter[str] = collections.Counter()
        self._client: httpx.AsyncClient | None = None

    def _http(self) -> httpx.AsyncClient:
        # Created on first use so it belongs to the server's event loop; kept for keep-alive.
        if self._client is None:
            limits = httpx.Limits(keepalive_expiry=KEEPALIVE_SECONDS)
            self._client = httpx.AsyncClient(base_url=self.url, timeout=self.timeout, limits=limits)
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def turn(
        self, tenant_id: str, session_id: str, text: str, metadata: dict[str, Any]
    ) -> ChatReply | None:
        """Rasa's reply to ``text``; None (logged and counted) when Rasa is down, slow or broken."""
        if self.own is not None and not self.own.ready():
            # Starting, restarting or not ours: a turn sent now would wait for the timeout or reach
            # a server that is not this app's.
            self._degraded(tenant_id, "down")
            return None
        body = {
            "sender": f"{tenant_id}:{session_id}",
            "message": text,
            # The request id lets the action endpoint log under the same id as the gateway.
            "metadata": {**metadata, "tenant": tenant_id, "request_id": current_request_id()},
        }
        try:
            response = await self._http().post(REST_WEBHOOK, json=body)
            response.raise_for_status()
            reply = parse_reply(session_id, response.json())
            # No message at all: an action failed inside Rasa; retrieval can still answer.
            reason = "empty" if reply is None else None
        except httpx.TimeoutException:
            reply, reason = None, "timeout"
        except httpx.TransportError:
            reply, reason = None, "unreachable"
        except (httpx.HTTPStatusError, ValueError):
            reply, reason = None, "error"
        if reason is not None:
            self._degraded(tenant_id, reason)
        return reply

    async def reachable(self) -> bool:
        """Rasa answers with a model loaded (its HTTP server answers before the model is); with
        ``own``, only that start of our Rasa counts, and only once it is ready."""
        if self.own is not None:
            return self.own.ready() and await self._answers_as(self.own.instance)
        try:
            response = await self._http().get("/status")
            return response.status_code == 200 and bool(response.json().get("model_file"))
        except (httpx.HTTPError, ValueError):
            return False

    async def _answers_as(self, instance: str) -> bool:
        try:
            response = await self._http().get(INSTANCE_PATH)
            body = response.json() if response.status_code == 200 else {}
        except (httpx.HTTPError, ValueError):
            return False
        return (
            isinstance(body, dict) and body.get("instance") == instance and body.get("model_loaded") is True
        )

    def _degraded(self, tenant_id: str, reason: str) -> None:
        self.degradations[reason] += 1
        log.warning("Rasa %s for tenant %s: answering from retrieval", reason, tenant_id)
        if self.on_degraded is not None:
            self.on_degraded(tenant_id, reason)


def parse_reply(session_id: str, payload: object) -> ChatReply | None:
    """A ChatReply from the REST channel's list of bot messages, or None when there is nothing."""
    if not isinstance(payload, list):
        return None
    messages: list[Message] = []
    decision: ChatDecision = "dialogue"
    faq_id: str | None = None
    for item in payload:
        if not isinstance(item, dict):
            continue
        meta = (item.get("custom") or {}).get(META_KEY) if isinstance(item.get("custom"), dict) else None
        if isinstance(meta, dict):
            if meta.get("decision") in _DECISIONS:
                decision = meta["decision"]
            faq_id = meta.get("faq_id") if isinstance(meta.get("faq_id"), str) else None
            continue
        if isinstance(item.get("text"), str):
            buttons = [
                Button(title=str(b.get("title", "")), payload=str(b.get("payload", "")))
                for b in item.get("buttons") or []
                if isinstance(b, dict)
            ]
            messages.append(Message(text=item["text"], buttons=buttons))
    if not messages:
        return None
    return ChatReply(session_id=session_id, decision=decision, faq_id=faq_id, messages=messages)
