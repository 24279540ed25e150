"""ChatReply → Kakao i Open Builder skill response (version "2.0"), within Open Builder's limits.

Limits (Kakao i Open Builder skill response format): at most 3 outputs; simpleText text 1,000
characters; basicCard description 230 characters and at most 3 buttons; at most 10 quickReplies,
whose labels are kept to 14 characters so they are not cut off on phones.
"""

from __future__ import annotations

import re
from typing import Any

from bot.chat.models import ChatReply, Message
from bot.chat.render import LINK_TITLES, is_link
from bot.i18n.catalogue import CATALOGUE
from bot.i18n.detect import Language

MAX_OUTPUTS = 3
SIMPLE_TEXT_MAX = 1000
CARD_DESCRIPTION_MAX = 230
CARD_BUTTONS_MAX = 3
QUICK_REPLIES_MAX = 10
LABEL_MAX = 14
ELLIPSIS = "…"
# A sentence ends after . ! ? 。 or the Korean final "다." / "요." forms, before whitespace.
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+")


def truncate(text: str, limit: int) -> str:
    """``text`` if it fits, else whole sentences that fit plus '…' (or a cut at a space, or a hard cut)."""
    if len(text) <= limit:
        return text
    room = limit - len(ELLIPSIS)
    sentences = _SENTENCE_END.split(text)
    kept = ""
    for sentence in sentences:
        candidate = f"{kept} {sentence}" if kept else sentence
        if len(candidate) > room:
            break
        kept = candidate
    if not kept:
        head = text[:room]
        space = head.rfind(" ")
        kept = head[:space] if space > room // 2 else head
    return kept.rstrip() + ELLIPSIS


def _label(title: str) -> str:
    return title if len(title) <= LABEL_MAX else title[: LABEL_MAX - 1] + ELLIPSIS


def _output(message: Message, language: Language) -> dict[str, Any]:
    links = [b for b in message.buttons if is_link(b.payload)][:CARD_BUTTONS_MAX]
    if not links:
        return {"simpleText": {"text": truncate(message.text, SIMPLE_TEXT_MAX)}}
    description = truncate(message.text, CARD_DESCRIPTION_MAX)
    buttons = [
        {
            "action": "webLink",
            # A cut answer's link is where the rest of it is.
            "label": CATALOGUE["full_answer"][language]
            if description != message.text and b.title in LINK_TITLES
            else _label(b.title),
            "webLinkUrl": b.payload,
        }
        for b in links
    ]
    return {"basicCard": {"description": description, "buttons": buttons}}


def skill_response(reply: ChatReply) -> dict[str, Any]:
    """Messages become outputs; their reply buttons become quickReplies sending the button's title
    (the chat service maps an offered title back to its payload) or a category's plain question."""
    messages = reply.messages[:MAX_OUTPUTS]
    if len(reply.messages) > MAX_OUTPUTS:
        # Keep every message's text: merge the overflow into the last kept text message.
        tail = "\n\n".join(m.text for m in reply.messages[MAX_OUTPUTS - 1 :])
        buttons = [b for m in reply.messages[MAX_OUTPUTS - 1 :] for b in m.buttons]
        messages = [*messages[: MAX_OUTPUTS - 1], Message(text=tail, buttons=buttons)]
    quick_replies = [
        {
            "label": _label(b.title),
            "action": "message",
            "messageText": b.title if b.payload.startswith("/") else b.payload,
        }
        for m in messages
        for b in m.buttons
        if not is_link(b.payload)
    ][:QUICK_REPLIES_MAX]
    template: dict[str, Any] = {"outputs": [_output(m, reply.language) for m in messages]}
    if quick_replies:
        template["quickReplies"] = quick_replies
    return {"version": "2.0", "template": template}
