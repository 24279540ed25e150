"""What every chat turn checks on the way in, for a tenant and a portal alike: the message itself,
the greetings that restart a conversation, and a new visitor's session id."""

from __future__ import annotations

import uuid

from bot.errors import FaqbotError
from bot.i18n.catalogue import MessageKey
from nlu.korean import normalise

MAX_MESSAGE_CHARS = 1000
_KOREAN_GREETINGS = {"안녕", "안녕하세요", "하이", "처음으로", "시작", "/greet"}
GREETINGS = frozenset({*_KOREAN_GREETINGS, "hi", "hello", "hey", "こんにちは", "你好", "您好"})
# Thanks and goodbyes typed as they are, answered with the catalogue's line also without Rasa
# (whose intent model hears the rest of them: data/rasa/nlu*.yml).
_THANKS = (
    "고마워/고마워요/고맙습니다/감사/감사해요/감사합니다/땡큐/ㄱㅅ/thanks/thank you/thank you so much"
    "/thanks a lot/thx/ありがとう/ありがとうございます/谢谢/多谢"
)
_GOODBYES = (
    "잘가/잘 가/잘 있어/안녕히 계세요/안녕히계세요/바이/bye/goodbye/bye bye/さようなら/またね/再见/拜拜"
)
SMALL_TALK: dict[str, MessageKey] = {
    **dict.fromkeys(_THANKS.split("/"), "welcome"),
    **dict.fromkeys(_GOODBYES.split("/"), "goodbye"),
}

# Trailing marks that leave a greeting or a thanks what it is ("감사합니다!!", "ありがとう。", "谢谢！").
_TRAILING = "!.~?。！？～ "


def typed_phrase(text: str) -> str:
    """``text`` as the greeting and small-talk tables hold their phrases: normalised, lower case,
    without trailing marks."""
    return normalise(text).rstrip(_TRAILING).lower()


class InvalidMessage(FaqbotError):
    status = 422
    code = "invalid_message"


def new_session_id() -> str:
    return uuid.uuid4().hex


def check_message(text: str) -> str:
    """The message stripped; InvalidMessage when empty or longer than 1,000 characters."""
    # JSON may carry lone surrogates (\ud800) that no encoder can encode: make them "?".
    text = text.encode("utf-8", "replace").decode("utf-8").strip()
    if not text:
        raise InvalidMessage("메시지를 입력해 주세요.", "message is empty")
    if len(text) > MAX_MESSAGE_CHARS:
        raise InvalidMessage(
            f"메시지는 {MAX_MESSAGE_CHARS:,}자 이하로 입력해 주세요.",
            f"message longer than {MAX_MESSAGE_CHARS} characters",
        )
    return text
