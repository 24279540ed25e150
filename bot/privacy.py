"""Masking of personal data in visitor text before anything is stored or logged.

Visitors type their phone number or student number into a chat box without thinking; the
conversation log that feeds the operator console must never keep them. Patterns run in order,
longest identifiers first, so a 13-digit resident registration number is not half-masked as a
phone number.
"""

from __future__ import annotations

import re

# Digits glued to Korean text ("번호는01012345678이에요") have no \b boundary, so every pattern
# is anchored with digit lookarounds instead.
_D_BEFORE = r"(?<![0-9])"
_D_AFTER = r"(?![0-9])"
_SEP = r"[ .\-]?"

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # 주민등록번호 / 외국인등록번호: YYMMDD-GNNNNNN (gender digit 1-8).
    (
        re.compile(_D_BEFORE + r"\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\s?-?\s?[1-8]\d{6}" + _D_AFTER),
        "[주민번호]",
    ),
    # Card numbers: 4-4-4-4 (or 4-6-5 Amex) with optional separators.
    (
        re.compile(_D_BEFORE + r"\d{4}" + _SEP + r"\d{4}" + _SEP + r"\d{4}" + _SEP + r"\d{4}" + _D_AFTER),
        "[카드번호]",
    ),
    (re.compile(_D_BEFORE + r"3[47]\d{2}" + _SEP + r"\d{6}" + _SEP + r"\d{5}" + _D_AFTER), "[카드번호]"),
    # Phone numbers: mobile 010-1234-5678, landlines 02-123-4567 / 055-123-4567, +82 10 ...
    (re.compile(r"\+82[ \-]?0?1[016789]" + _SEP + r"\d{3,4}" + _SEP + r"\d{4}" + _D_AFTER), "[전화번호]"),
    (re.compile(_D_BEFORE + r"01[016789]" + _SEP + r"\d{3,4}" + _SEP + r"\d{4}" + _D_AFTER), "[전화번호]"),
    (re.compile(_D_BEFORE + r"0(?:2|[3-6][1-5])[ .\-]\d{3,4}[ .\-]\d{4}" + _D_AFTER), "[전화번호]"),
    (re.compile(_D_BEFORE + r"1[56]\d{2}-\d{4}" + _D_AFTER), "[전화번호]"),
    (re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"), "[이메일]"),
    # Student numbers: after the word 학번, or a year-prefixed 8-10 digit number (2023123456).
    (re.compile(r"(?<=학번)(\s*(?:은|는|이|:)?\s*)\d{5,10}" + _D_AFTER), r"\1[학번]"),
    (re.compile(_D_BEFORE + r"(?:19|20)\d{6,8}" + _D_AFTER), "[학번]"),
)


def mask_personal_data(text: str) -> str:
    """``text`` with resident, card, phone, e-mail and student numbers replaced by labels."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text
