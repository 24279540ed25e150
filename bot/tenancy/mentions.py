"""Tenant names in a question: "가람대 주차 등록" names 가람대학교 whatever else it says (so does
"Gaeram University parking", its English short name)."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from bot.tenancy.settings import TenantSettings

_NON_WORD = re.compile(r"[\s\W_]+")
# Names this long match however the text spaces them (남강 등불 축제) and inside longer words
# (올해머드축제). Shorter ones are mostly pieces of other words or two words that happen to meet
# (연등축제, "산책로 등 축제장"): they match only at a word's start and as written, though spaces
# the name has may be left out.
_FREE_FROM = 4


def _normal(text: str) -> str:
    return _NON_WORD.sub(" ", unicodedata.normalize("NFC", text)).lower().strip()


def _pattern(name: str) -> str:
    compact = name.replace(" ", "")
    if len(compact) >= _FREE_FROM:
        return r"\s*".join(map(re.escape, compact))
    return r"(?<!\w)" + r"\s*".join(map(re.escape, name.split()))


class MentionFinder:
    """Finds which of the given tenants a question names, by short name or alias."""

    def __init__(self, tenants: Iterable[TenantSettings]) -> None:
        owners: defaultdict[str, set[str]] = defaultdict(set)
        letters: dict[str, int] = {}
        for tenant in tenants:
            # A foreign visitor names it as its tenant.yml translates it ("Seohae Mud Festival").
            translated = (texts.short_name for texts in tenant.languages.values() if texts.short_name)
            for name in map(_normal, (tenant.short_name, *tenant.aliases, *translated)):
                if name:
                    pattern = _pattern(name)
                    owners[pattern].add(tenant.id)
                    letters[pattern] = len(name.replace(" ", ""))
        # Longest names first, so that a shorter name inside a longer one is not found again; a
        # name two tenants share names both.
        ordered = sorted(owners, key=lambda p: (-letters[p], p))
        self._names = [(re.compile(p, re.IGNORECASE), sorted(owners[p])) for p in ordered]

    def find(self, text: str) -> list[str]:
        """Tenant ids named in ``text``, in order of first appearance."""
        text = _normal(text)
        found: dict[str, int] = {}
        for pattern, tenant_ids in self._names:
            match = pattern.search(text)
            if match:
                for tenant_id in tenant_ids:
                    found[tenant_id] = min(match.start(), found.get(tenant_id, match.start()))
                text = pattern.sub(lambda m: "\0" * len(m.group()), text)
        return sorted(found, key=found.__getitem__)

    def without(self, text: str, tenant_id: str) -> str:
        """``text`` with every name of ``tenant_id`` taken out ("머드축제 주차 어디" → "주차 어디"),
        or ``text`` itself when nothing else would be left."""
        rest = unicodedata.normalize("NFC", text)
        for pattern, tenant_ids in self._names:
            if tenant_id in tenant_ids:
                rest = pattern.sub(" ", rest)
        rest = " ".join(rest.split())
        return rest if _normal(rest) else text
