"""The chat data model: exactly the JSON of ``POST /api/v1/chat``, plus the turn-recording protocol.

Shared by the gateway, the Rasa dialogue client and the custom actions, so it imports nothing else
(but the language codes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from bot.i18n.detect import Language

ChatDecision = Literal["answer", "suggest", "fallback", "dialogue"]


class Button(BaseModel):
    """A reply button: ``payload`` is sent back as the next message (or is a URL to open)."""

    model_config = ConfigDict(frozen=True)

    title: str = Field(examples=["교통 안내"])
    payload: str = Field(examples=['/choose_faq{"faq_id":"shuttle-bus"}'])


class Message(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str = Field(examples=["셔틀버스는 보령종합터미널에서 20분 간격으로 운행합니다."])
    buttons: list[Button] = Field(default_factory=list)


class ChatReply(BaseModel):
    """One bot turn as the chat API returns it."""

    session_id: str
    decision: ChatDecision = Field(
        description="answer: one FAQ answered; suggest: close FAQs offered; "
        "fallback: nothing close; dialogue: a non-FAQ turn (greeting, feedback, handoff)"
    )
    faq_id: str | None = None
    messages: list[Message]
    language: Language = Field(default="ko", description="ISO 639-1 code of the language the bot answered in")


@dataclass(frozen=True)
class Turn:
    """One visitor message and how it was answered, as handed to a TurnRecorder."""

    tenant: str
    session_id: str
    text: str
    decision: ChatDecision
    faq_id: str | None
    score: float | None
    timestamp: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    # Set only for feedback turns, so recorders need not parse the payload again.
    helpful: bool | None = None


class TurnRecorder(Protocol):
    """Stores turns (the operator side's SQL recorder masks personal data before saving).

    ``record`` may block (database I/O); ChatService calls it off the event loop.
    """

    def record(self, turn: Turn) -> None: ...
