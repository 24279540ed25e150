"""The Rasa port of `faqbot serve`: free by default, a pinned one unless something holds it."""

from __future__ import annotations

import logging
import socket

import pytest

from bot.dialogue.sidecar import choose_port, port_taken
from tests.dialogue.stack import free_port


def test_without_a_pinned_port_each_serve_gets_a_free_one() -> None:
    port = choose_port(None)
    assert not port_taken(port)


def test_a_free_pinned_port_is_used() -> None:
    pinned = free_port()
    assert choose_port(pinned) == pinned


def test_a_held_pinned_port_is_named_once_and_left_alone(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        pinned = int(holder.getsockname()[1])
        with caplog.at_level(logging.WARNING, logger="bot.dialogue.sidecar"):
            port = choose_port(pinned)
        assert port != pinned and not port_taken(port)
    (record,) = caplog.records
    message = record.getMessage()
    assert f"Rasa port {pinned} (FAQBOT_RASA_PORT) is held by another process" in message
    assert f"ss -ltnp 'sport = :{pinned}'" in message and f"own Rasa listens on port {port}" in message
