"""Button payloads in Rasa intent syntax, understood by both the direct path and Rasa.

``/choose_faq{"faq_id":"ID"}``, ``/feedback{"faq_id":"ID","helpful":true}``,
``/choose_tenant{"tenant":"ID"}``; category buttons send plain text instead.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

_PAYLOAD = re.compile(r"^/(?P<intent>[a-z_]+)(?P<entities>\{.*\})?$", re.DOTALL)


@dataclass(frozen=True)
class ChooseFaq:
    faq_id: str


@dataclass(frozen=True)
class Feedback:
    faq_id: str
    helpful: bool


@dataclass(frozen=True)
class ChooseTenant:
    tenant: str


Payload = ChooseFaq | Feedback | ChooseTenant


def _encode(intent: str, entities: dict[str, object]) -> str:
    return f"/{intent}{json.dumps(entities, ensure_ascii=False, separators=(',', ':'))}"


def choose_faq(faq_id: str) -> str:
    return _encode("choose_faq", {"faq_id": faq_id})


def feedback(faq_id: str, helpful: bool) -> str:
    return _encode("feedback", {"faq_id": faq_id, "helpful": helpful})


def choose_tenant(tenant: str) -> str:
    return _encode("choose_tenant", {"tenant": tenant})


def encode(payload: Payload) -> str:
    """The payload text of a parsed payload (what its button sends)."""
    if isinstance(payload, ChooseFaq):
        return choose_faq(payload.faq_id)
    if isinstance(payload, Feedback):
        return feedback(payload.faq_id, payload.helpful)
    return choose_tenant(payload.tenant)


def parse(text: str) -> Payload | None:
    """The payload a button sent, or None for anything else (typed text, malformed payloads)."""
    match = _PAYLOAD.match(text.strip())
    if not match:
        return None
    try:
        entities = json.loads(match["entities"] or "{}")
    except json.JSONDecodeError:
        return None
    if not isinstance(entities, dict):
        return None
    intent = match["intent"]
    faq_id, helpful, tenant = entities.get("faq_id"), entities.get("helpful"), entities.get("tenant")
    if intent == "choose_faq" and isinstance(faq_id, str):
        return ChooseFaq(faq_id)
    if intent == "feedback" and isinstance(faq_id, str) and isinstance(helpful, bool):
        return Feedback(faq_id, helpful)
    if intent == "choose_tenant" and isinstance(tenant, str):
        return ChooseTenant(tenant)
    return None
