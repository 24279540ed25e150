"""Which language a visitor writes in: Korean, English, Japanese or Chinese, by the scripts used.

Script analysis is enough for these four (no detector library needed offline): Hangul is Korean,
kana is Japanese, Han characters without kana are Chinese, Latin letters are English (the bot's
one Latin-script language). Emoji, digits, punctuation, URLs, e-mail addresses, markup tags (a
pasted ``<script>``) and button commands (``/greet``, ``/choose_faq{…}``) say nothing.
"""

from __future__ import annotations

import re
from typing import Literal, get_args

Language = Literal["ko", "en", "ja", "zh"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
FOREIGN: tuple[Language, ...] = ("en", "ja", "zh")

_NOISE = re.compile(
    r"<(script|style)\b.*?</\1\s*>|https?://\S+|www\.\S+|\S+@\S+\.\S+|(?<!\S)/[a-z_]+(\{.*\})?"
    r"|</?[a-z][^<>]{0,200}>",
    re.IGNORECASE | re.DOTALL,
)
# Latin words too short or too international to tell a language ("ok", "QR", "wifi 비번").
_NEUTRAL = frozenset({"ok", "okay", "oh", "wow", "lol", "thx", "qr", "wifi", "ktx", "srt", "atm", "d-day"})
# Korean with a few English words stays Korean: one Hangul syllable carries about as much as
# three Latin letters, so Hangul wins unless the Latin part is clearly the sentence.
_LATIN_PER_SYLLABLE = 3


def _is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f"


def _is_kana(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff" or "\u31f0" <= ch <= "\u31ff" or "\uff66" <= ch <= "\uff9d"


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


def detect(text: str, previous: Language | None = None) -> Language | None:
    """The language of ``text``, or None when it has too little to tell ("ok", "👍", "2", a URL).

    ``previous`` (the session's language) decides Han-only text: 駐車場 is Japanese in a Japanese
    conversation and Chinese otherwise.
    """
    text = _NOISE.sub(" ", text)
    hangul = sum(map(_is_hangul, text))
    kana = sum(map(_is_kana, text))
    han = sum(map(_is_han, text))
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'-]*", text) if w.lower() not in _NEUTRAL]
    latin = sum(len(w) for w in words)
    if hangul and hangul * _LATIN_PER_SYLLABLE >= latin:
        return "ko"
    if kana:
        return "ja"
    if han and han * _LATIN_PER_SYLLABLE >= latin:
        return "ja" if previous == "ja" else "zh"
    if latin >= 3:
        return "en"
    if hangul:
        return "ko"
    return None


def language_of(hint: str | None) -> Language | None:
    """A page or browser language tag ("en-US", "zh-Hant-TW", "ja") as one of ours, else None."""
    if not hint:
        return None
    primary = hint.strip().lower().replace("_", "-").split("-")[0]
    return primary if primary in LANGUAGES else None  # type: ignore[return-value]


def choose(text: str, session: Language | None, hint: str | None = None) -> Language:
    """The language to answer ``text`` in: its own, else the session's, else the page's, else Korean."""
    return detect(text, session or language_of(hint)) or session or language_of(hint) or "ko"
