"""Conversation actions around the FAQ: the tenant's greeting (or a portal's tenant choice) and
the handoff to the tenant's contacts."""

from __future__ import annotations

import logging

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.base import TenantAction
from actions.faq import search_reply
from actions.reply import Reply, latest_intent, turn_tenant, visitor_language
from bot.chat import payloads, render
from bot.i18n.catalogue import MessageKey
from bot.tenancy import TenantSettings
from nlu.korean import content_morphemes

log = logging.getLogger(__name__)

# Words (lemmas) that only say which tenant is meant: a typed choice with nothing else besides the
# tenant's name greets as it ("가람대 질문이요", "등불축제로 바꿀게요", "저 가람대 학생인데요"); 로, 생 and
# 요 are what Kiwi leaves of "가람대로 바꿔줘", "가람대생" and "머드축제요!" once the name is taken out.
CHOICE_WORDS = frozenset(
    [
        "질문",
        "문의",
        "묻다",
        "얘기",
        "이야기",
        "말하다",
        "관련",
        "관하다",
        "대하다",
        "궁금하다",
        "선택",
        "고르다",
        "바꾸다",
        "변경",
        "쪽",
        "로",
        "하다",
        "있다",
        "학교",
        "대학",
        "대학교",
        "학생",
        "생",
        "축제",
        "행사",
        "요",
    ]
)

# The catalogue message for each small-talk intent.
SMALL_TALK_REPLIES: dict[str, MessageKey] = {
    "thanks": "welcome",
    "goodbye": "goodbye",
    "bot_challenge": "about_bot",
}


class ActionGreet(TenantAction):
    """greet → the tenant's greeting with its top categories; choose_tenant → the chosen one's,
    unless the choice also asks something the FAQ search can answer."""

    action_name = "action_greet"

    def choose_tenant(self, tracker: Tracker) -> TenantSettings | None:
        if latest_intent(tracker) != "choose_tenant":
            return None
        # A button's choice (a portal offers them) always switches.
        chosen = next(tracker.get_latest_entity_values("tenant"), None)
        if isinstance(chosen, str) and chosen in self.runtime.tenants:
            return self.runtime.tenant(chosen)
        if turn_tenant(self.runtime, tracker) is not None:
            # A typed name does not: a tenant's own chat stays that tenant's.
            return None
        # Typed choice with no tenant of its own ("머드축제 얘기할래요"): the tenant it names, also
        # inside a word ("저가람대학생인데요"), where mention matching is stricter.
        text = _text(tracker)
        named = self.runtime.tenants_named(text) or [
            t.id for t in self.runtime.tenants if any(n in _compact(text) for n in _names(t))
        ]
        return self.runtime.tenant(named[0]) if named else None

    async def respond(self, tenant: TenantSettings, tracker: Tracker) -> Reply:
        if self._typed_choice(tracker):
            text = _text(tracker)
            # Naming another tenant in this one's chat is a question about it: the fallback says
            # whom to ask. Otherwise the intent model heard the festival's name in "머드축제 주차
            # 어디" and called it a choice, but once the names are taken out words are left that
            # ask something ("주차", "어디"), where "머드축제 얘기할래요" leaves only words of choosing.
            elsewhere = self.runtime.named_elsewhere(tenant.id, text)
            if elsewhere or not CHOICE_WORDS.issuperset(content_morphemes(self._without_names(text))):
                reply = await search_reply(self.runtime, tenant, tracker)
                # A choice the FAQ has nothing for is still a choice: greet.
                if reply.decision != "fallback" or elsewhere:
                    return reply
        messages = render.greeting_messages(tenant, language=visitor_language(tracker))
        return Reply("dialogue", messages, events=[SlotSet("fallbacks", 0)])

    @staticmethod
    def _typed_choice(tracker: Tracker) -> bool:
        return latest_intent(tracker) == "choose_tenant" and payloads.parse(_text(tracker)) is None

    def _without_names(self, text: str) -> str:
        """``text`` with every tenant name taken out, wherever it stands ("저가람대학생인데요" →
        "저 학생인데요"), longest first so that a shorter name inside a longer one is not left."""
        rest = _compact(text)
        for name in sorted({n for t in self.runtime.tenants for n in _names(t)}, key=len, reverse=True):
            rest = rest.replace(name, " ")
        return rest


class ActionHandoff(TenantAction):
    """human_handoff (상담원 연결, 전화번호 알려줘) → every contact of the tenant."""

    action_name = "action_handoff"

    async def respond(self, tenant: TenantSettings, tracker: Tracker) -> Reply:
        messages = render.handoff_messages(tenant, visitor_language(tracker))
        return Reply("dialogue", messages, events=[SlotSet("fallbacks", 0)])


class ActionSmallTalk(TenantAction):
    """thanks, goodbye, bot_challenge → the bot's line for it in the visitor's language."""

    action_name = "action_small_talk"

    async def respond(self, tenant: TenantSettings, tracker: Tracker) -> Reply:
        intent = latest_intent(tracker) or ""
        if intent not in SMALL_TALK_REPLIES:
            # Only the rules for these intents run this action; a policy's guess after another
            # intent gets a neutral line rather than "you are welcome".
            log.warning("action_small_talk after intent %r", intent)
        key = SMALL_TALK_REPLIES.get(intent, "no_last_answer")
        return Reply("dialogue", render.small_talk_messages(tenant, key, visitor_language(tracker)))


def _text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def _compact(text: str) -> str:
    return "".join(text.split())


def _names(tenant: TenantSettings) -> set[str]:
    return {_compact(n) for n in (tenant.short_name, tenant.display_name, *tenant.aliases) if n.strip()}
