"""Rasa's NLU gets the same regional normalisation as retrieval; button payloads pass untouched."""

from __future__ import annotations

import asyncio

from bot.chat import payloads
from bot.chat.memory_sessions import MemorySessionStore
from bot.chat.service import ChatService
from bot.runtime import Runtime
from tests.fakes import RecordingDialogue


def test_dialect_is_normalised_before_rasa_and_payloads_are_not(runtime: Runtime) -> None:
    dialogue = RecordingDialogue()
    service = ChatService(runtime, MemorySessionStore(), runtime.store.turns, dialogue)
    choice = payloads.choose_faq("festival-dates")
    for text in ("유등 우째 띄우노", choice):
        asyncio.run(service.handle("namgang-lantern", "s1", text))
    assert dialogue.sent == [runtime.normalise("namgang-lantern", "유등 우째 띄우노"), choice]
    assert "어떻게" in dialogue.sent[0]
