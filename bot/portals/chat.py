"""A portal's chat turn: route to a tenant and let the tenant's own chat path answer, or ask/fall back.

Delegating the routed question to ``ChatService.handle`` with the tenant id keeps one way of
answering (Rasa or direct retrieval, rendering, feedback, handoff after repeated fallbacks, turn
recording) for tenants and portals alike; the portal adds only its routing state.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool

from bot.chat import payloads
from bot.chat.intake import GREETINGS, SMALL_TALK, check_message, new_session_id, typed_phrase
from bot.chat.models import ChatDecision, ChatReply, Message
from bot.chat.portal_path import TenantChat
from bot.chat.sessions import SessionState
from bot.i18n.catalogue import CATALOGUE
from bot.i18n.detect import Language, choose, language_of
from bot.portals import render
from bot.portals.registry import PortalRegistry
from bot.portals.router import PortalRouter, PortalSession

# What a tenant's chat path is sent after a bare tenant choice: its greeting.
GREET = "/greet"


class PortalChat:
    def __init__(self, router: PortalRouter) -> None:
        self.router = router

    def __contains__(self, portal_id: object) -> bool:
        return portal_id in self.router

    @property
    def portals(self) -> PortalRegistry:
        """The deployment's portals (their origins and Kakao channels are read per request)."""
        return self.router.portals

    async def handle(
        self,
        chat: TenantChat,
        portal_id: str,
        session_id: str | None,
        text: str,
        channel: str = "web",
        language_hint: str | None = None,
    ) -> ChatReply:
        """One visitor message to a portal, in the visitor's language as a tenant's chat finds it;
        UnknownTenant and InvalidMessage as for a tenant."""
        portal = self.router.portal(portal_id)
        text = check_message(text)
        session_id = session_id or new_session_id()
        key = f"{portal.id}:{session_id}"
        state = chat.sessions.load(key)
        # A portal button's title typed back (Kakao quick replies send titles) acts like a click.
        text = state.offered.get(text, text)
        state.offered = {}
        language = choose(text, language_of(state.language), language_hint)
        state.language = language
        covered = portal.tenant_ids()
        # FAQ buttons and feedback belong to the tenant that offered them.
        if isinstance(payloads.parse(text), payloads.ChooseFaq | payloads.Feedback) and (
            state.chosen_tenant in covered
        ):
            chat.sessions.save(key, state)
            return await chat.handle(state.chosen_tenant, session_id, text, channel, language)
        own = _Own(chat, key, state, session_id, language)
        phrase = typed_phrase(text)
        if phrase in GREETINGS:
            return own.reply("dialogue", render.greeting_messages(portal, language))
        if phrase in SMALL_TALK:
            return own.reply("dialogue", [Message(text=CATALOGUE[SMALL_TALK[phrase]][language])])
        remembered = PortalSession(state.chosen_tenant, state.portal_question)
        routed = await run_in_threadpool(self.router.route, portal.id, text, remembered, 5, language)
        state.chosen_tenant, state.portal_question = routed.session.tenant, routed.session.pending
        if routed.clarify:
            return own.reply("dialogue", render.clarify_messages(portal, routed.clarify, language))
        if routed.tenant is None:
            elsewhere = [self.router.runtime.tenant(t) for t in routed.elsewhere]
            return own.reply("fallback", render.fallback_messages(portal, elsewhere, language))
        chat.sessions.save(key, state)
        reply = await chat.handle(routed.tenant, session_id, routed.query or GREET, channel, language)
        if routed.tenant == remembered.tenant:
            return reply
        # Say where the answer comes from whenever the portal lands on a new tenant.
        note = render.routed_message(self.router.runtime.tenant(routed.tenant), reply.language)
        return reply.model_copy(update={"messages": [note, *reply.messages]})


@dataclass(frozen=True)
class _Own:
    """Replies of the portal itself (greeting, "which one?", fallback) in one turn."""

    chat: TenantChat
    key: str
    state: SessionState
    session_id: str
    language: Language

    def reply(self, decision: ChatDecision, messages: list[Message]) -> ChatReply:
        """The reply, its buttons remembered (a title typed back acts like a click)."""
        self.state.offered = {b.title: b.payload for m in messages for b in m.buttons}
        self.chat.sessions.save(self.key, self.state)
        return ChatReply(
            session_id=self.session_id, decision=decision, messages=messages, language=self.language
        )
