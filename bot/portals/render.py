"""A portal's own chat messages: greeting, "which one?" question, fallback (tenants render the rest)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.chat import payloads
from bot.chat.models import Button, Message
from bot.chat.render import elsewhere_text
from bot.portals.registry import Portal
from bot.tenancy import TenantSettings

CLARIFY_PROMPT = "어느 곳에 대한 질문인가요? 아래에서 골라 주시면 바로 안내해 드릴게요."


def tenant_buttons(tenants: Iterable[TenantSettings]) -> list[Button]:
    """One button per tenant; its payload picks the tenant for the rest of the session."""
    return [Button(title=t.short_name, payload=payloads.choose_tenant(t.id)) for t in tenants]


def greeting_messages(portal: Portal) -> list[Message]:
    return [Message(text=portal.settings.greeting, buttons=tenant_buttons(portal.tenants))]


def clarify_messages(portal: Portal, tenant_ids: Iterable[str]) -> list[Message]:
    wanted = set(tenant_ids)
    return [Message(text=CLARIFY_PROMPT, buttons=tenant_buttons(t for t in portal.tenants if t.id in wanted))]


def fallback_messages(portal: Portal, elsewhere: Sequence[TenantSettings] = ()) -> list[Message]:
    """The portal's fallback text with its own main contact (unless the text already gives the number),
    and its tenants as buttons: choosing one searches that tenant for the question. For a question
    about other tenants of the deployment (``elsewhere``), whom to ask instead."""
    if elsewhere:
        return [Message(text=elsewhere_text(portal.settings.display_name, elsewhere))]
    contact = portal.settings.main_contact
    text = portal.settings.fallback
    if not contact.phone or contact.phone not in text:
        text = f"{text}\n{contact.line()}"
    return [Message(text=text, buttons=tenant_buttons(portal.tenants))]


def routed_message(tenant: TenantSettings) -> Message:
    return Message(text=f"{tenant.short_name} 안내로 연결했어요.")
