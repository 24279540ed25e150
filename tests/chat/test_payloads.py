"""Button payloads in Rasa intent syntax: exact strings both ways."""

from __future__ import annotations

import pytest

from bot.chat import payloads
from bot.chat.payloads import ChooseFaq, ChooseTenant, Feedback


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        (payloads.choose_faq("shuttle-bus"), ChooseFaq("shuttle-bus")),
        ('/choose_faq{"faq_id":"shuttle-bus"}', ChooseFaq("shuttle-bus")),
        ('  /choose_faq{"faq_id": "학사-1"} ', ChooseFaq("학사-1")),
        (payloads.feedback("festival-dates", True), Feedback("festival-dates", True)),
        ('/feedback{"faq_id":"x","helpful":false}', Feedback("x", False)),
        (payloads.choose_tenant("gaeram-univ"), ChooseTenant("gaeram-univ")),
        ('/feedback{"faq_id":"x","helpful":"yes"}', None),
        ('/choose_faq{"faq_id":3}', None),
        ("/choose_faq{broken", None),
        ("/choose_faq", None),
        ("/choose_faq[1]", None),
        ("교통 안내", None),
        ("/unknown_intent{}", None),
    ],
)
def test_parse(text: str, parsed: payloads.Payload | None) -> None:
    assert payloads.parse(text) == parsed


def test_encoding_matches_the_shared_convention() -> None:
    assert payloads.choose_faq("ID") == '/choose_faq{"faq_id":"ID"}'
    assert payloads.feedback("ID", True) == '/feedback{"faq_id":"ID","helpful":true}'
    assert payloads.feedback("ID", False) == '/feedback{"faq_id":"ID","helpful":false}'
    assert payloads.choose_tenant("ID") == '/choose_tenant{"tenant":"ID"}'
