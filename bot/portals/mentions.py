"""Tenant names in a question: "가람대 주차 등록" names 가람대학교 whatever else it says."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from bot.tenancy import TenantSettings

_NON_WORD = re.compile(r"[\s\W_]+")


def _squash(text: str) -> str:
    # Spacing varies freely in Korean (남강 등불축제 / 남강등불축제), so names match without it.
    return _NON_WORD.sub("", unicodedata.normalize("NFC", text)).lower()


class MentionFinder:
    """Finds which of a portal's tenants a question names, by short name or alias."""

    def __init__(self, tenants: Iterable[TenantSettings]) -> None:
        names = [(_squash(name), t.id) for t in tenants for name in (t.short_name, *t.aliases)]
        # Longest names first so that a longer name is never shadowed by a shorter one inside it.
        self._names = sorted({(n, t) for n, t in names if n}, key=lambda nt: -len(nt[0]))

    def find(self, text: str) -> list[str]:
        """Tenant ids named in ``text``, in order of first appearance."""
        squashed = _squash(text)
        found: dict[str, int] = {}
        for name, tenant_id in self._names:
            position = squashed.find(name)
            if position >= 0:
                found[tenant_id] = min(position, found.get(tenant_id, position))
                squashed = squashed.replace(name, "\0" * len(name))
        return sorted(found, key=found.__getitem__)
