"""FAQ actions: answer a question through the tenant's search, answer a chosen suggestion, feedback."""

from __future__ import annotations

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.base import TenantAction
from actions.reply import Reply, latest_intent, visitor_language
from bot.chat import render
from bot.chat.models import Message
from bot.chat.service import HANDOFF_AFTER_FALLBACKS
from bot.chat.voice import say
from bot.i18n.detect import Language
from bot.runtime import Runtime
from bot.tenancy import TenantSettings
from retrieval import FaqEntry


class ActionAnswerFaq(TenantAction):
    """ask_faq, out_of_scope and nlu_fallback: the tenant's search decides answer / suggest /
    fallback, whatever the intent model thought. The search is calibrated on each tenant's FAQ
    ("비 오면 축제 해요?" sounds like weather talk but is in the FAQ), the intent model is not.
    Two fallbacks in a row add the tenant's contacts.
    """

    action_name = "action_answer_faq"

    async def respond(self, tenant: TenantSettings, tracker: Tracker) -> Reply:
        return await search_reply(self.runtime, tenant, tracker)


class ActionChooseFaq(TenantAction):
    """A suggestion button (/choose_faq{"faq_id": ID}) answers that FAQ of the tenant."""

    action_name = "action_choose_faq"

    async def respond(self, tenant: TenantSettings, tracker: Tracker) -> Reply:
        faq_id = next(tracker.get_latest_entity_values("faq_id"), None)
        entries = self.runtime.index(tenant.id).entries
        entry = next((e for e in entries if e.id == faq_id), None)
        language = visitor_language(tracker)
        if entry is None:
            return Reply("fallback", render.fallback_messages(tenant, language=language))
        return answer_reply(tenant, entry, language)


class ActionFeedback(TenantAction):
    """도움이 되었나요? — the 👍/👎 buttons, or a typed 네/아니요 about the last answer."""

    action_name = "action_feedback"

    async def respond(self, tenant: TenantSettings, tracker: Tracker) -> Reply:
        intent, language = latest_intent(tracker), visitor_language(tracker)
        if intent == "feedback":
            faq_id = next(tracker.get_latest_entity_values("faq_id"), None)
            helpful = _as_bool(next(tracker.get_latest_entity_values("helpful"), None))
        else:
            faq_id, helpful = tracker.get_slot("last_faq"), intent == "affirm"
        if intent != "feedback" and faq_id is None:
            # 네/아니요 with no answer before it: more likely a question the model misread.
            reply = await search_reply(self.runtime, tenant, tracker)
            if reply.decision != "fallback":
                return reply
        if faq_id is None or helpful is None:
            return Reply("dialogue", [Message(text=say(tenant, language, "no_last_answer"))])
        return Reply(
            "dialogue",
            render.feedback_messages(tenant, helpful, language),
            faq_id=faq_id,
            helpful=helpful,
            events=[SlotSet("last_faq", None)],
        )


async def search_reply(runtime: Runtime, tenant: TenantSettings, tracker: Tracker) -> Reply:
    """The reply the tenant's FAQ search gives to the latest message."""
    text = tracker.latest_message.get("text") or ""
    language = visitor_language(tracker)
    # Search is CPU work (encoder + FAISS): keep it off the app's event loop.
    result = await asyncio.to_thread(runtime.search, tenant.id, text, 5, language)
    best = result.best
    if result.decision == "answer" and best is not None:
        return answer_reply(tenant, best.entry, language)
    if result.decision == "suggest" and best is not None:
        messages = render.suggest_messages(tenant, result.hits, language)
        return Reply("suggest", messages, events=[SlotSet("fallbacks", 0)])
    fallbacks = int(tracker.get_slot("fallbacks") or 0) + 1
    elsewhere = runtime.named_elsewhere(tenant.id, text)
    messages = render.fallback_messages(tenant, elsewhere=elsewhere, language=language)
    if fallbacks >= HANDOFF_AFTER_FALLBACKS:
        handoff = render.handoff_messages(tenant, language)
        return Reply("fallback", messages + handoff, events=[SlotSet("fallbacks", 0)])
    return Reply("fallback", messages, events=[SlotSet("fallbacks", fallbacks)])


def answer_reply(tenant: TenantSettings, entry: FaqEntry, language: Language = "ko") -> Reply:
    return Reply(
        "answer",
        render.answer_messages(tenant, entry, language),
        faq_id=entry.id,
        events=[SlotSet("last_faq", entry.id), SlotSet("fallbacks", 0)],
    )


def _as_bool(value: object) -> bool | None:
    """The helpful entity of a payload: JSON true/false, or its string form."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None
