"""Korean analysis shared by the Rasa tokenizer and BM25, so a message's tokens in Rasa and its BM25
terms always agree.

Imports only kiwipiepy: this module is loaded by the Rasa environment (Python 3.10) too.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = ["ContentMorphemes", "Token", "content_morphemes", "normalise", "tokens"]

# Kiwi tags kept for retrieval: nouns, verb/adjective stems, roots, foreign words, numbers, hanja,
# and the content-bearing suffix XSN; particles and endings say nothing about which FAQ is meant.
_CONTENT_TAGS = ("NN", "NR", "NP", "VV", "VA", "XR", "SL", "SN", "SH", "MAG", "XSN")
_SPACES = re.compile(r"\s+")
_REPEATS = re.compile(r"([ㅋㅎㅠㅜ~!?.])\1{2,}")
# Kiwi leaves a run of Han characters (SH) or kana (SW) as one token, "駐車場はどこですか" as two:
# without a Japanese or Chinese dictionary, one token per character (bigrams then see the words).
_CJK = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9d]")


@dataclass(frozen=True)
class Token:
    """One morpheme with its character span in the analysed text (end exclusive, never empty)."""

    text: str
    start: int
    end: int
    tag: str
    lemma: str


@lru_cache(maxsize=1)
def _loaded():  # type: ignore[no-untyped-def]
    """Kiwi, and the process that loaded it."""
    from kiwipiepy import Kiwi

    # Worker threads analyse batches (``content_morphemes.many``) in C++ without the GIL; a single
    # text is analysed on the calling thread, with the same result for FAQ text (tests/retrieval).
    return Kiwi(num_workers=os.cpu_count() or 1), os.getpid()


def _kiwi():  # type: ignore[no-untyped-def]
    return _loaded()[0]


def _workers_alive() -> bool:
    """A forked process inherits Kiwi but not its worker threads: a batch there would wait forever."""
    return bool(_loaded()[1] == os.getpid())


def normalise(text: str) -> str:
    """NFC, collapsed whitespace, and laughter/punctuation runs squashed (ㅋㅋㅋㅋ → ㅋㅋ).

    Not NFKC: it would turn compatibility jamo such as ㅠㅠ into conjoining jamo.
    """
    text = unicodedata.normalize("NFC", text)
    text = _REPEATS.sub(r"\1\1", text)
    return _SPACES.sub(" ", text).strip()


def tokens(text: str) -> list[Token]:
    """Morphemes of ``text`` with spans that are non-empty, ordered and non-overlapping.

    Kiwi gives contracted morphemes (했어요 → 하/VV + 었/EP + 어요/EF, 돼요 → 되/VV + 어요/EF) spans
    that are empty or overlap the previous one; such a morpheme is merged into the span of its
    neighbour so that every character of a token belongs to exactly one token.
    """
    return _spans(text, _kiwi().tokenize(text))


def _spans(text: str, analysed: Iterable[Any]) -> list[Token]:
    """``tokens`` of ``text`` from Kiwi's analysis of it."""
    result: list[Token] = []
    for t in analysed:
        start, end = t.start, t.start + t.len
        lemma = t.form + ("다" if t.tag.startswith(("VV", "VA", "VX")) else "")
        if result and start < result[-1].end:
            # Overlaps the previous token: extend it instead of emitting a broken span.
            prev = result[-1]
            result[-1] = Token(
                text[prev.start : max(prev.end, end)], prev.start, max(prev.end, end), prev.tag, prev.lemma
            )
            continue
        if end <= start:
            continue
        if t.tag in ("SH", "SW") and _CJK.search(text, start, end):
            result.extend(Token(text[i], i, i + 1, t.tag, text[i]) for i in range(start, end))
            continue
        result.append(Token(text[start:end], start, end, t.tag, lemma))
    return result


def _content(analysed: list[Token]) -> list[str]:
    return [t.lemma.lower() for t in analysed if t.tag.startswith(_CONTENT_TAGS)]


class ContentMorphemes:
    """Content morphemes of a text as BM25 terms (stems of verbs/adjectives, nouns, numbers…).

    A callable (``content_morphemes(text)``) with a batch method, ``many``, that index builds use.
    """

    #: Names how FAQ texts are analysed (``many``): an index built another way is rebuilt.
    identity = "kiwi:faq-without-typed-on-codas|cjk-characters"

    def __call__(self, text: str, extra: Iterable[str] = ()) -> list[str]:
        terms = _content(tokens(normalise(text)))
        terms.extend(extra)
        return terms

    def many(self, texts: Sequence[str]) -> list[list[str]]:
        """Like ``[self(t) for t in texts]``, analysed by Kiwi's worker threads (one per core)
        without holding the GIL: an index build's thousands of documents in parallel with its encoding.

        The texts are FAQ texts, written with care: Kiwi's search for codas typed onto a syllable
        (맛있닼 → 맛있다 + ㅋ) is left out, 16 % of Kiwi's time; 3 of 1,500 synthetic FAQ documents
        get other terms and no dev-set or question-pair figure moves (bench/RESULTS.md, session 4)."""
        normalised = [normalise(t) for t in texts]
        kiwi = _kiwi()
        if _workers_alive():
            analysed = kiwi.tokenize(normalised, z_coda=False)
        else:
            analysed = [kiwi.tokenize(text, z_coda=False) for text in normalised]
        return [_content(_spans(text, one)) for text, one in zip(normalised, analysed, strict=True)]


content_morphemes = ContentMorphemes()
