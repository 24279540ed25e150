"""A portal's own chat messages: greeting, "which one?" question, fallback (tenants render the rest),
in the visitor's language (the portal's ``languages:`` texts, else the catalogue's)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.chat import payloads
from bot.chat.models import Button, Message
from bot.chat.render import elsewhere_text
from bot.chat.voice import Voice, contact_line
from bot.i18n.catalogue import CATALOGUE, PORTAL_CATALOGUE
from bot.i18n.detect import Language
from bot.portals.registry import Portal
from bot.tenancy import TenantSettings
from bot.tenancy.settings import SpokenLanguage


def _texts(portal: Portal, language: Language) -> SpokenLanguage:
    """The portal's own texts in ``language`` (none for Korean: its settings are Korean)."""
    return (portal.settings.languages.get(language) if language != "ko" else None) or SpokenLanguage()


def portal_name(portal: Portal, language: Language = "ko") -> str:
    return _texts(portal, language).display_name or portal.settings.display_name


def tenant_buttons(tenants: Iterable[TenantSettings], language: Language = "ko") -> list[Button]:
    """One button per tenant, named in ``language``; its payload picks the tenant for the session."""
    return [Button(title=Voice(t, language).name, payload=payloads.choose_tenant(t.id)) for t in tenants]


def greeting_messages(portal: Portal, language: Language = "ko") -> list[Message]:
    if language == "ko":
        return [Message(text=portal.settings.greeting, buttons=tenant_buttons(portal.tenants))]
    names = ", ".join(Voice(t, language).name for t in portal.tenants)
    text = _texts(portal, language).greeting or PORTAL_CATALOGUE["portal_greeting"][language].format(
        name=portal_name(portal, language), tenants=names
    )
    return [Message(text=text, buttons=tenant_buttons(portal.tenants, language))]


def clarify_messages(portal: Portal, tenant_ids: Iterable[str], language: Language = "ko") -> list[Message]:
    wanted = set(tenant_ids)
    buttons = tenant_buttons((t for t in portal.tenants if t.id in wanted), language)
    return [Message(text=PORTAL_CATALOGUE["portal_clarify"][language], buttons=buttons)]


def fallback_messages(
    portal: Portal, elsewhere: Sequence[TenantSettings] = (), language: Language = "ko"
) -> list[Message]:
    """The portal's fallback text with its own main contact (unless the text already gives the number),
    and its tenants as buttons: choosing one searches that tenant for the question. For a question
    about other tenants of the deployment (``elsewhere``), whom to ask instead."""
    if elsewhere:
        return [Message(text=elsewhere_text(portal_name(portal, language), elsewhere, language))]
    texts = _texts(portal, language)
    contact = portal.settings.main_contact
    own = portal.settings.fallback if language == "ko" else texts.fallback
    text = own or CATALOGUE["fallback"][language]
    if not contact.phone or contact.phone not in text:
        text = f"{text}\n{contact_line(contact, texts)}"
    return [Message(text=text, buttons=tenant_buttons(portal.tenants, language))]


def routed_message(tenant: TenantSettings, language: Language = "ko") -> Message:
    voice = Voice(tenant, language)
    return Message(text=voice.say("routed", name=voice.name))
