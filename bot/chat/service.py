"""ChatService: one visitor message in, one ChatReply out — through Rasa when it answers, else direct.

The direct path parses button payloads, searches the tenant's FAQ index and keeps a little session
state (consecutive fallbacks lead to the contacts; a portal visitor's chosen tenant).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any, Protocol

from starlette.concurrency import run_in_threadpool

from bot import calendar
from bot.chat import payloads, render
from bot.chat.intake import GREETINGS, SMALL_TALK, check_message, new_session_id, typed_phrase
from bot.chat.models import ChatDecision, ChatReply, Message, Turn, TurnRecorder
from bot.chat.portal_path import PortalPath
from bot.chat.sessions import SessionState, SessionStore
from bot.i18n.detect import Language, choose, language_of
from bot.privacy import mask_personal_data
from bot.runtime import Runtime
from bot.tenancy import TenantSettings
from retrieval import FaqEntry

log = logging.getLogger(__name__)

# After this many fallbacks in a row the visitor gets the contacts instead of another apology.
HANDOFF_AFTER_FALLBACKS = 2


class Dialogue(Protocol):
    """The Rasa dialogue client (bot/dialogue); ``turn`` returns None when Rasa cannot answer."""

    async def turn(
        self, tenant_id: str, session_id: str, text: str, metadata: dict[str, Any]
    ) -> ChatReply | None: ...


@dataclass(frozen=True)
class _Outcome:
    decision: ChatDecision
    messages: list[Message]
    faq_id: str | None = None
    score: float | None = None
    helpful: bool | None = None


class ChatService:
    def __init__(
        self,
        runtime: Runtime,
        sessions: SessionStore,
        recorder: TurnRecorder,
        dialogue: Dialogue | None = None,
        portals: PortalPath | None = None,
    ) -> None:
        self.runtime = runtime
        self.sessions = sessions
        self.recorder = recorder
        self.dialogue = dialogue
        self.portals = portals

    async def handle(
        self,
        tenant_id: str,
        session_id: str | None,
        text: str,
        channel: str = "web",
        language_hint: str | None = None,
    ) -> ChatReply:
        """Answer one message in the visitor's language (the message's own, else the session's, else
        ``language_hint``: the page's or browser's); UnknownTenant (404) and InvalidMessage (422) are
        raised before any work."""
        if self.portals is not None and tenant_id in self.portals:
            # A portal routes the message and hands it back here with the chosen tenant's id.
            return await self.portals.handle(self, tenant_id, session_id, text, channel, language_hint)
        tenant = self.runtime.tenant(tenant_id)
        text = check_message(text)
        session_id = session_id or new_session_id()
        key = f"{tenant.id}:{session_id}"
        state = self.sessions.load(key)
        text = state.offered.get(text, text)
        language = state.language = choose(text, language_of(state.language), language_hint)
        reply = None
        payload = payloads.parse(text)
        if self.dialogue is not None:
            sent = self._for_dialogue(tenant, text, payload)
            metadata = {"channel": channel, "language": language}
            reply = await self.dialogue.turn(tenant.id, session_id, sent, metadata)
        if reply is not None:
            # Rasa's reply carries no feedback flag; the button payload itself says it.
            helpful = payload.helpful if isinstance(payload, payloads.Feedback) else None
            outcome = _Outcome(reply.decision, reply.messages, reply.faq_id, helpful=helpful)
        else:
            outcome = await self._direct(tenant, state, text, language)
        outcome = replace(outcome, messages=render.distinct_titles(outcome.messages))
        state.offered = {
            b.title: b.payload for m in outcome.messages for b in m.buttons if not render.is_link(b.payload)
        }
        self.sessions.save(key, state)
        await self._record(tenant.id, session_id, text, outcome)
        return ChatReply(
            session_id=session_id,
            decision=outcome.decision,
            faq_id=outcome.faq_id,
            messages=outcome.messages,
            language=language,
        )

    def _for_dialogue(self, tenant: TenantSettings, text: str, payload: payloads.Payload | None) -> str:
        """What Rasa is sent. Rasa's tracker store keeps it, so personal data never goes there
        (retrieval needs no phone number to find an FAQ); but masking runs on free text only: a
        button's payload naming this deployment's FAQ or tenant goes as it is, rebuilt from its
        parsed fields (masking turned ``notice-20240315`` into ``notice-[학번]`` and the click fell
        back). Typed text gets the same regional normalisation as retrieval (dialect → standard)."""
        if payload is not None and self._names_known(tenant, payload):
            return payloads.encode(payload)
        return mask_personal_data(text if payload is not None else self.runtime.normalise(tenant.id, text))

    def _names_known(self, tenant: TenantSettings, payload: payloads.Payload) -> bool:
        if isinstance(payload, payloads.ChooseTenant):
            return payload.tenant in self.runtime.tenants
        return self._entry(tenant, payload.faq_id) is not None

    def _entry(self, tenant: TenantSettings, faq_id: str) -> FaqEntry | None:
        return next((e for e in self.runtime.index(tenant.id).entries if e.id == faq_id), None)

    async def _direct(
        self, tenant: TenantSettings, state: SessionState, text: str, language: Language
    ) -> _Outcome:
        outcome = await self._direct_outcome(tenant, state, text, language)
        state.fallbacks = state.fallbacks + 1 if outcome.decision == "fallback" else 0
        if state.fallbacks >= HANDOFF_AFTER_FALLBACKS:
            handoff = render.handoff_messages(tenant, language)
            outcome = replace(outcome, messages=outcome.messages + handoff)
            state.fallbacks = 0
        if outcome.faq_id and outcome.decision == "answer":
            state.last_faq_id = outcome.faq_id
        return outcome

    async def _direct_outcome(
        self, tenant: TenantSettings, state: SessionState, text: str, language: Language
    ) -> _Outcome:
        payload = payloads.parse(text)
        if isinstance(payload, payloads.ChooseFaq):
            entry = self._entry(tenant, payload.faq_id)
            if entry is None:
                return _Outcome("fallback", render.fallback_messages(tenant, language=language))
            return _Outcome("answer", render.answer_messages(tenant, entry, language), entry.id, 1.0)
        if isinstance(payload, payloads.Feedback):
            messages = render.feedback_messages(tenant, payload.helpful, language)
            return _Outcome("dialogue", messages, payload.faq_id, helpful=payload.helpful)
        if isinstance(payload, payloads.ChooseTenant):
            known = payload.tenant in self.runtime.tenants
            chosen = self.runtime.tenant(payload.tenant) if known else tenant
            state.chosen_tenant = chosen.id if known else state.chosen_tenant
            return _Outcome("dialogue", render.greeting_messages(chosen, language=language))
        phrase = typed_phrase(text)
        if phrase in GREETINGS:
            return _Outcome("dialogue", render.greeting_messages(tenant, language=language))
        if phrase in SMALL_TALK:
            return _Outcome("dialogue", render.small_talk_messages(tenant, SMALL_TALK[phrase], language))
        result = await run_in_threadpool(self.runtime.search, tenant.id, text, 5, language)
        best = result.best
        elsewhere = self.runtime.named_elsewhere(tenant.id, text) if result.decision == "fallback" else ()
        # "언제 해요?" with no FAQ close enough: the event calendar answers it, unless it is about
        # another tenant ("머드축제 언제 해요?" asked of the lantern festival).
        today = calendar.korea_today()
        fell_back = result.decision == "fallback" and not elsewhere
        # The calendar understands Korean questions only; the FAQ answers the others.
        when = calendar.when_answer(tenant, text, today) if fell_back and language == "ko" else None
        if when is not None:
            return _Outcome("dialogue", [Message(text=when)])
        if result.decision == "answer" and best is not None:
            messages = render.answer_messages(tenant, best.entry, language)
            return _Outcome("answer", messages, best.faq_id, best.score)
        if result.decision == "suggest" and best is not None:
            messages = render.suggest_messages(tenant, result.hits, language)
            return _Outcome("suggest", messages, None, best.score)
        messages = render.fallback_messages(tenant, elsewhere=elsewhere, language=language)
        return _Outcome("fallback", messages, None, best.score if best else None)

    async def _record(self, tenant_id: str, session_id: str, text: str, outcome: _Outcome) -> None:
        turn = Turn(
            tenant=tenant_id,
            session_id=session_id,
            text=text,
            decision=outcome.decision,
            faq_id=outcome.faq_id,
            score=outcome.score,
            helpful=outcome.helpful,
        )
        try:
            await run_in_threadpool(self.recorder.record, turn)
        except Exception:
            # Losing one analytics row must not lose the visitor's answer.
            log.exception("could not record a turn of tenant %s", tenant_id)
