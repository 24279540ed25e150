"""FAQ results → chat messages; shared by the direct-retrieval path and the Rasa custom actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from bot import calendar
from bot.chat import payloads
from bot.chat.models import Button, Message
from bot.chat.voice import Voice, say
from bot.i18n.catalogue import CATALOGUE, MessageKey
from bot.i18n.detect import Language
from bot.tenancy import TenantSettings
from retrieval import FaqEntry, Hit

MAX_SUGGESTIONS = 3
# Every language's title of an answer's link button (Kakao names a cut answer's link differently).
LINK_TITLES = frozenset(CATALOGUE["link_title"].values())


def is_link(payload: str) -> bool:
    """Link buttons open a page instead of sending their payload back."""
    return payload.startswith(("https://", "http://"))


def distinct_titles(messages: list[Message]) -> list[Message]:
    """The messages with reply buttons of one title told apart ("질문 (2)"): a channel that sends
    the title back (Kakao quick replies) must reach the FAQ of the button that was pressed."""
    seen: dict[str, int] = {}

    def distinct(button: Button) -> Button:
        if is_link(button.payload):
            return button
        seen[button.title] = seen.get(button.title, 0) + 1
        count = seen[button.title]
        return button if count == 1 else button.model_copy(update={"title": f"{button.title} ({count})"})

    return [m.model_copy(update={"buttons": [distinct(b) for b in m.buttons]}) for m in messages]


def answer_messages(tenant: TenantSettings, entry: FaqEntry, language: Language = "ko") -> list[Message]:
    """The answer (with its link and the map of its place as buttons), then the feedback question.

    A foreign visitor gets the FAQ's answer in their language, or the Korean one after a note
    saying whom to ask in their language."""
    links = [Button(title=say(tenant, language, "link_title"), payload=entry.link)] if entry.link else []
    text = entry.answer_in(language)
    if text is None:
        note = say(tenant, language, "korean_only", contact=Voice(tenant, language).foreign_contact)
        text = f"{note}\n\n{entry.answer}"
    place = tenant.places.get(entry.id)
    if place is not None:
        text = f"{text}\n📍 {place.name} ({place.address})"
        links.append(Button(title=say(tenant, language, "map_title"), payload=place.map_url))
    yes, no = say(tenant, language, "feedback_yes"), say(tenant, language, "feedback_no")
    return [
        Message(text=text, buttons=links),
        Message(
            text=say(tenant, language, "feedback_prompt"),
            buttons=[
                Button(title=yes, payload=payloads.feedback(entry.id, True)),
                Button(title=no, payload=payloads.feedback(entry.id, False)),
            ],
        ),
    ]


def suggest_messages(tenant: TenantSettings, hits: Iterable[Hit], language: Language = "ko") -> list[Message]:
    """Up to three close FAQs, each a button titled with its question (in the visitor's language
    when the FAQ has it)."""
    buttons: list[Button] = []
    seen: set[str] = set()
    for hit in hits:
        if hit.faq_id in seen:
            continue
        seen.add(hit.faq_id)
        title = hit.entry.question_in(language) or hit.entry.question
        buttons.append(Button(title=title, payload=payloads.choose_faq(hit.faq_id)))
        if len(buttons) == MAX_SUGGESTIONS:
            break
    return [Message(text=say(tenant, language, "suggest_prompt"), buttons=buttons)]


def fallback_messages(
    tenant: TenantSettings,
    today: dt.date | None = None,
    elsewhere: Sequence[TenantSettings] = (),
    language: Language = "ko",
) -> list[Message]:
    """The tenant's own fallback text (with where its event stands today), plus the main contact
    unless the text already gives its number; for a question about ``elsewhere`` (other tenants
    it names), where to ask instead."""
    if elsewhere:
        here = f"{tenant.short_name} 안내" if language == "ko" else Voice(tenant, language).name
        return [Message(text=elsewhere_text(here, elsewhere, language))]
    contact = tenant.main_contact
    today = today or calendar.korea_today()
    voice = Voice(tenant, language)
    text = calendar.fallback_text(tenant, today) if language == "ko" else voice.fallback(today)
    line = voice.contact_line(contact)
    if not contact.phone or contact.phone not in text:
        text = f"{text}\n{line}"
    return [Message(text=text)]


def elsewhere_text(here: str, elsewhere: Sequence[TenantSettings], language: Language = "ko") -> str:
    """Whom to ask about the other tenants a question names, instead of ``here``."""
    voices = [Voice(other, language) for other in elsewhere]
    where = [(v.name, v.contact_line(v.tenant.main_contact)) for v in voices]
    names = "·".join(name for name, _ in where)
    lines = "\n".join(f"· {name}: {line}" for name, line in where)
    return f"{CATALOGUE['elsewhere'][language].format(names=names, here=here)}\n{lines}"


def greeting_messages(
    tenant: TenantSettings, today: dt.date | None = None, language: Language = "ko"
) -> list[Message]:
    """The greeting (with where its event stands today: D-day, today's hours, or over) and one button
    per top category; each sends a plain question like '교통 안내'."""
    today = today or calendar.korea_today()
    if language == "ko":
        buttons = [Button(title=c, payload=f"{c} 안내") for c in tenant.top_categories]
        return [Message(text=calendar.greeting_text(tenant, today), buttons=buttons)]
    voice = Voice(tenant, language)
    buttons = [Button(title=title, payload=question) for title, question in voice.categories()]
    return [Message(text=voice.greeting(today), buttons=buttons)]


def handoff_messages(tenant: TenantSettings, language: Language = "ko") -> list[Message]:
    """Every contact on its own line (name, phone, hours, office)."""
    voice = Voice(tenant, language)
    lines = "\n".join(f"· {voice.contact_line(c)}" for c in tenant.contacts)
    return [Message(text=f"{say(tenant, language, 'handoff_prompt')}\n{lines}")]


def small_talk_messages(tenant: TenantSettings, key: MessageKey, language: Language = "ko") -> list[Message]:
    """The bot's own line for thanks, goodbye or "are you a bot?" (``key`` in the catalogue)."""
    return [Message(text=say(tenant, language, key))]


def feedback_messages(tenant: TenantSettings, helpful: bool, language: Language = "ko") -> list[Message]:
    """Thanks for a 👍; for a 👎 an apology and the contacts, since the answer did not help."""
    if helpful:
        return [Message(text=say(tenant, language, "feedback_thanks"))]
    return [Message(text=say(tenant, language, "feedback_sorry")), *handoff_messages(tenant, language)]
