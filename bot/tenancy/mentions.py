"""Tenant names in a question: "가람대 주차 등록" names 가람대학교 whatever else it says."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from bot.tenancy.settings import TenantSettings

_NON_WORD = re.compile(r"[\s\W_]+")
# Names this long match however the text spaces them (남강 등불 축제); shorter ones only as written,
# spaces left out allowed: a spaced-out short name is mostly two words that happen to meet
# ("산책로 등 축제장" does not name 등축제).
_FREE_SPACING_FROM = 4


def _normal(text: str) -> str:
    return _NON_WORD.sub(" ", unicodedata.normalize("NFC", text)).lower().strip()


def _pattern(name: str) -> re.Pattern[str]:
    compact = name.replace(" ", "")
    parts = compact if len(compact) >= _FREE_SPACING_FROM else name.split()
    return re.compile(r"\s*".join(re.escape(part) for part in parts))


class MentionFinder:
    """Finds which of a portal's tenants a question names, by short name or alias."""

    def __init__(self, tenants: Iterable[TenantSettings]) -> None:
        names = {(_normal(name), t.id) for t in tenants for name in (t.short_name, *t.aliases)}
        # Longest names first so that a longer name is never shadowed by a shorter one inside it.
        ordered = sorted((nt for nt in names if nt[0]), key=lambda nt: (-len(nt[0].replace(" ", "")), nt))
        self._names = [(_pattern(name), tenant_id) for name, tenant_id in ordered]

    def find(self, text: str) -> list[str]:
        """Tenant ids named in ``text``, in order of first appearance."""
        text = _normal(text)
        found: dict[str, int] = {}
        for pattern, tenant_id in self._names:
            match = pattern.search(text)
            if match:
                found[tenant_id] = min(match.start(), found.get(tenant_id, match.start()))
                text = pattern.sub(lambda m: "\0" * len(m.group()), text)
        return sorted(found, key=found.__getitem__)
