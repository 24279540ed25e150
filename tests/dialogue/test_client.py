"""RasaDialogue without a Rasa server: parsing the REST channel's reply, and the degraded paths
(nothing listening, a server that never answers) over real loopback sockets."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from bot.dialogue.client import RasaDialogue, parse_reply
from tests.dialogue.stack import free_port

ANSWER = [
    {
        "recipient_id": "t:s",
        "text": "답변입니다.",
        "buttons": [{"title": "자세히 보기", "payload": "https://x.example"}],
    },
    {
        "recipient_id": "t:s",
        "text": "도움이 되었나요?",
        "buttons": [{"title": "👍 네", "payload": "/feedback{}"}],
    },
    {"recipient_id": "t:s", "custom": {"faqbot": {"decision": "answer", "faq_id": "restroom"}}},
]


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (ANSWER, ("answer", "restroom", ["답변입니다.", "도움이 되었나요?"])),
        # A message without faqbot metadata (a domain response) is a dialogue turn.
        ([{"recipient_id": "t:s", "text": "안녕히 가세요."}], ("dialogue", None, ["안녕히 가세요."])),
        (
            [{"custom": {"faqbot": {"decision": "bogus", "faq_id": 3}}}, {"text": "x"}],
            ("dialogue", None, ["x"]),
        ),
    ],
)
def test_parse_reply(payload: list[dict[str, Any]], expected: tuple[str, str | None, list[str]]) -> None:
    reply = parse_reply("s", payload)
    assert reply is not None
    assert (reply.decision, reply.faq_id, [m.text for m in reply.messages]) == expected


def test_parse_reply_keeps_buttons() -> None:
    reply = parse_reply("s", ANSWER)
    assert reply is not None
    assert [(b.title, b.payload) for b in reply.messages[0].buttons] == [("자세히 보기", "https://x.example")]


@pytest.mark.parametrize(
    "payload", [[], {"error": "x"}, [{"custom": {"faqbot": {"decision": "answer"}}}], None]
)
def test_nothing_to_say_is_none(payload: object) -> None:
    assert parse_reply("s", payload) is None


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP server that accepts connections and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield int(server.getsockname()[1])


def turn(dialogue: RasaDialogue) -> object:
    async def go() -> object:
        try:
            return await dialogue.turn("seohae-mudfest", "s1", "화장실 어디예요?", {})
        finally:
            await dialogue.aclose()

    return asyncio.run(go())


def test_unreachable_rasa_degrades_and_counts() -> None:
    seen: list[tuple[str, str]] = []
    dialogue = RasaDialogue(f"http://127.0.0.1:{free_port()}", 1.0, lambda t, r: seen.append((t, r)))
    assert turn(dialogue) is None
    assert dialogue.degradations == {"unreachable": 1}
    assert seen == [("seohae-mudfest", "unreachable")]


def test_slow_rasa_times_out(silent_server: int) -> None:
    dialogue = RasaDialogue(f"http://127.0.0.1:{silent_server}", 0.3)
    assert turn(dialogue) is None
    assert dialogue.degradations == {"timeout": 1}


def test_reachable_is_false_without_a_server() -> None:
    dialogue = RasaDialogue(f"http://127.0.0.1:{free_port()}", 0.5)

    async def go() -> bool:
        try:
            return await dialogue.reachable()
        finally:
            await dialogue.aclose()

    assert asyncio.run(go()) is False


class Starting:
    """The sidecar of a Rasa server that is not ready (starting, restarting, or not ours)."""

    instance = "0123456789abcdef"

    def ready(self) -> bool:
        return False


def test_turns_skip_our_rasa_while_it_is_not_ready(silent_server: int) -> None:
    # Sent to the silent server, the turn would wait for the whole timeout and count one.
    dialogue = RasaDialogue(f"http://127.0.0.1:{silent_server}", 30.0, own=Starting())
    assert turn(dialogue) is None
    assert dialogue.degradations == {"down": 1}
