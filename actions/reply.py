"""What every faqbot action does around its own decision: find the tenant, send the messages.

The last message of every action turn is a custom JSON ``{"faqbot": {"decision", "faq_id", …}}``
so the gateway's Rasa client can fill ChatReply.decision and faq_id without parsing text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.chat.models import ChatDecision, Message
from bot.i18n.detect import Language, language_of
from bot.runtime import Runtime
from bot.tenancy import TenantSettings

META_KEY = "faqbot"
NO_TENANT_TEXT = "어느 기관에 대해 궁금하신지 먼저 알려 주세요."


@dataclass(frozen=True)
class Reply:
    decision: ChatDecision
    messages: list[Message]
    faq_id: str | None = None
    helpful: bool | None = None
    events: list[EventType] = field(default_factory=list)


def message_metadata(tracker: Tracker) -> dict[str, Any]:
    """Metadata the gateway sent with the latest user message (``{"tenant": ID, …}``)."""
    metadata = (tracker.latest_message or {}).get("metadata")
    if metadata:
        return dict(metadata)
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return dict(event.get("metadata") or {})
    return {}


def visitor_language(tracker: Tracker) -> Language:
    """The language the gateway detected for this turn (metadata ``language``), Korean if none."""
    value = message_metadata(tracker).get("language")
    return language_of(value if isinstance(value, str) else None) or "ko"


def resolve_tenant(runtime: Runtime, tracker: Tracker) -> TenantSettings | None:
    """The tenant of this turn: the gateway's metadata when it names a tenant, else the slot
    (a portal visitor's earlier choice)."""
    return turn_tenant(runtime, tracker) or _known(runtime, tracker.get_slot("tenant"))


def turn_tenant(runtime: Runtime, tracker: Tracker) -> TenantSettings | None:
    """The tenant the gateway sent this turn to (metadata ``tenant``), if it is one."""
    return _known(runtime, message_metadata(tracker).get("tenant"))


def _known(runtime: Runtime, tenant_id: object) -> TenantSettings | None:
    return runtime.tenant(tenant_id) if isinstance(tenant_id, str) and tenant_id in runtime.tenants else None


def send(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    for message in reply.messages:
        buttons = [{"title": b.title, "payload": b.payload} for b in message.buttons]
        dispatcher.utter_message(text=message.text, buttons=buttons)
    meta: dict[str, Any] = {"decision": reply.decision, "faq_id": reply.faq_id}
    if reply.helpful is not None:
        meta["helpful"] = reply.helpful
    dispatcher.utter_message(json_message={META_KEY: meta})


def tenant_events(tenant: TenantSettings, tracker: Tracker) -> list[EventType]:
    return [] if tracker.get_slot("tenant") == tenant.id else [SlotSet("tenant", tenant.id)]


def latest_intent(tracker: Tracker) -> str | None:
    """The intent Rasa acted on (nlu_fallback included, unlike rasa-sdk's ranking helper)."""
    intent = (tracker.latest_message or {}).get("intent") or {}
    name = intent.get("name")
    return name if isinstance(name, str) else None
