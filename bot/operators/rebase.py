"""Rebasing a draft onto the live version: the draft's own changes replayed on what is live now,
when the two sides changed different FAQs (optimistic concurrency without lost edits)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.operators.report import diff_entries
from retrieval import FaqEntry


def touched(old: Sequence[FaqEntry], new: Sequence[FaqEntry]) -> set[str]:
    """Ids of the FAQs added, removed or changed from ``old`` to ``new``."""
    return {item["id"] for items in diff_entries(old, new).values() for item in items}


def rebase(
    base: Sequence[FaqEntry], draft: Sequence[FaqEntry], live: Sequence[FaqEntry]
) -> list[FaqEntry] | None:
    """``live`` with the changes ``draft`` made to ``base``; None when both changed one FAQ (then only
    an operator can say which edit wins)."""
    ours = touched(base, draft)
    if ours & touched(base, live):
        return None
    mine = {e.id: e for e in draft}
    # A live FAQ the draft changed takes the draft's text; one it removed is dropped.
    merged = [mine[e.id] if e.id in ours else e for e in live if e.id not in ours or e.id in mine]
    present = {e.id for e in live}
    # The draft's additions; a FAQ the live side removed stays removed.
    return merged + [e for e in draft if e.id in ours and e.id not in present]
