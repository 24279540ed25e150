"""Routing accuracy of a portal on a labelled set: right tenant answered, or asked when ambiguous."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.portals.router import PortalRouter


@dataclass(frozen=True)
class PortalCase:
    query: str
    # None: the question is ambiguous within the portal and the bot should ask.
    tenant: str | None
    faq_id: str | None = None


def read_portal_cases(path: Path, portal_id: str) -> list[PortalCase]:
    """Rows of a ``[portal,]query,tenant[,faq_id]`` CSV; with a portal column, only this portal's."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [
            PortalCase(row["query"], row.get("tenant") or None, row.get("faq_id") or None)
            for row in csv.DictReader(fh)
            if row.get("portal") in (None, "", portal_id)
        ]


@dataclass
class RoutingReport:
    queries: int
    accuracy: float
    # Of the questions that name no tenant ambiguity: routed to the right tenant.
    tenant_accuracy: float | None
    # Of the ambiguous questions: the bot asked.
    asked_when_ambiguous: float | None
    # Of the questions with a FAQ label: the right FAQ is the first result of the chosen tenant.
    top1: float | None
    misses: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "queries": self.queries,
            "routing_accuracy": self.accuracy,
            "tenant_accuracy": self.tenant_accuracy,
            "asked_when_ambiguous": self.asked_when_ambiguous,
            "top1": self.top1,
            "misses": self.misses,
        }


def _rate(flags: Sequence[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def evaluate_routing(
    router: PortalRouter, portal_id: str, cases: Sequence[PortalCase], worst: int = 10
) -> RoutingReport:
    """Route each case in a fresh session and compare with its label."""
    clear: list[bool] = []
    ambiguous: list[bool] = []
    top1: list[bool] = []
    misses = []
    for case in cases:
        routed = router.route(portal_id, case.query)
        got = routed.tenant or ("?" if routed.clarify else "")
        if case.tenant is None:
            ok = bool(routed.clarify)
            ambiguous.append(ok)
        else:
            ok = routed.tenant == case.tenant
            clear.append(ok)
            if case.faq_id:
                best = routed.result.best if ok and routed.result else None
                top1.append(best is not None and best.faq_id == case.faq_id)
        if not ok:
            misses.append({"query": case.query, "gold": case.tenant or "?", "got": got or "fallback"})
    return RoutingReport(
        queries=len(cases),
        accuracy=_rate(clear + ambiguous) or 0.0,
        tenant_accuracy=_rate(clear),
        asked_when_ambiguous=_rate(ambiguous),
        top1=_rate(top1),
        misses=misses[:worst],
    )
