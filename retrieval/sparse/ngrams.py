"""Character bigrams of the unspaced text: BM25 terms that need no word segmentation.

They match across missing or extra spaces (주차장어디 / 주차장 어디), survive one-letter typos in
long words, and find words a morpheme analyser splits wrongly.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[\W_]+")


def char_bigrams(text: str) -> list[str]:
    """Overlapping two-character terms of ``text`` without spaces or punctuation (a lone character
    is its own term)."""
    compact = _NOT_WORD.sub("", unicodedata.normalize("NFC", text).lower())
    if len(compact) < 2:
        return [compact] if compact else []
    return [compact[i : i + 2] for i in range(len(compact) - 1)]
