"""FAQ results → chat messages; shared by the direct-retrieval path and the Rasa custom actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from bot import calendar
from bot.chat import payloads
from bot.chat.models import Button, Message
from bot.tenancy import TenantSettings
from retrieval import FaqEntry, Hit

SUGGEST_PROMPT = "혹시 이 중에 찾으시는 질문이 있나요?"
FEEDBACK_PROMPT = "도움이 되었나요?"
HANDOFF_PROMPT = "정확한 안내를 위해 담당자에게 직접 문의해 주세요."
LINK_TITLE = "자세히 보기"
MAP_TITLE = "지도 보기"
MAX_SUGGESTIONS = 3


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


def answer_messages(tenant: TenantSettings, entry: FaqEntry) -> list[Message]:
    """The answer (with its link and the map of its place as buttons), then the feedback question."""
    links = [Button(title=LINK_TITLE, payload=entry.link)] if entry.link else []
    text = entry.answer
    place = tenant.places.get(entry.id)
    if place is not None:
        text = f"{text}\n📍 {place.name} ({place.address})"
        links.append(Button(title=MAP_TITLE, payload=place.map_url))
    return [
        Message(text=text, buttons=links),
        Message(
            text=FEEDBACK_PROMPT,
            buttons=[
                Button(title="👍 네", payload=payloads.feedback(entry.id, True)),
                Button(title="👎 아니요", payload=payloads.feedback(entry.id, False)),
            ],
        ),
    ]


def suggest_messages(tenant: TenantSettings, hits: Iterable[Hit]) -> list[Message]:
    """Up to three close FAQs, each a button titled with its question."""
    buttons: list[Button] = []
    seen: set[str] = set()
    for hit in hits:
        if hit.faq_id in seen:
            continue
        seen.add(hit.faq_id)
        buttons.append(Button(title=hit.entry.question, payload=payloads.choose_faq(hit.faq_id)))
        if len(buttons) == MAX_SUGGESTIONS:
            break
    return [Message(text=SUGGEST_PROMPT, buttons=buttons)]


def fallback_messages(
    tenant: TenantSettings, today: dt.date | None = None, elsewhere: Sequence[TenantSettings] = ()
) -> list[Message]:
    """The tenant's own fallback text (with where its event stands today), plus the main contact
    unless the text already gives its number; for a question about ``elsewhere`` (other tenants
    it names), where to ask instead."""
    if elsewhere:
        return [Message(text=elsewhere_text(f"{tenant.short_name} 안내", elsewhere))]
    contact = tenant.main_contact
    text = calendar.fallback_text(tenant, today or calendar.korea_today())
    if not contact.phone or contact.phone not in text:
        text = f"{text}\n{contact.line()}"
    return [Message(text=text)]


def elsewhere_text(here: str, elsewhere: Sequence[TenantSettings]) -> str:
    """Whom to ask about the other tenants a question names, instead of ``here``."""
    names = "·".join(other.short_name for other in elsewhere)
    where = "\n".join(f"· {other.short_name}: {other.main_contact.line()}" for other in elsewhere)
    return f"{names}에 관한 질문은 {here}에서 답해 드리기 어려워요. 아래로 문의해 주세요.\n{where}"


def greeting_messages(tenant: TenantSettings, today: dt.date | None = None) -> list[Message]:
    """The greeting (with where its event stands today: D-day, today's hours, or over) and one button
    per top category; each sends a plain question like '교통 안내'."""
    buttons = [Button(title=c, payload=f"{c} 안내") for c in tenant.top_categories]
    return [Message(text=calendar.greeting_text(tenant, today or calendar.korea_today()), buttons=buttons)]


def handoff_messages(tenant: TenantSettings) -> list[Message]:
    """Every contact on its own line (name, phone, hours, office)."""
    lines = "\n".join(f"· {c.line()}" for c in tenant.contacts)
    return [Message(text=f"{HANDOFF_PROMPT}\n{lines}")]


def feedback_messages(tenant: TenantSettings, helpful: bool) -> list[Message]:
    """Thanks for a 👍; for a 👎 an apology and the contacts, since the answer did not help."""
    if helpful:
        return [Message(text="의견 감사합니다! 더 궁금한 점이 있으면 언제든 물어보세요.")]
    return [Message(text="더 정확한 답을 드리지 못해 죄송합니다."), *handoff_messages(tenant)]
