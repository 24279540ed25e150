"""Retrieval metrics over labelled queries (empty gold id = the question should fall back)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from retrieval.search import SearchResult


@dataclass(frozen=True)
class Labelled:
    query: str
    gold: str | None  # None: out of scope, the right outcome is "fallback"


@dataclass
class Report:
    queries: int = 0
    in_scope: int = 0
    top1: float = 0.0
    top3: float = 0.0
    mrr10: float = 0.0
    rates: dict[str, float] = field(default_factory=dict)
    oos_rejection: float | None = None
    answer_precision: float | None = None
    #: Share of the in-scope questions answered outright (``rates`` counts every query).
    answered_in_scope: float = 0.0
    misses: list[dict[str, object]] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def evaluate(cases: Iterable[Labelled], run: Callable[[str], SearchResult], worst: int = 10) -> Report:
    """Run every case through ``run`` (a search with k ≥ 10) and aggregate the figures."""
    cases = list(cases)
    report = Report(queries=len(cases))
    decisions = {"answer": 0, "suggest": 0, "fallback": 0}
    hit1 = hit3 = rr = 0.0
    oos = oos_ok = answered = answered_ok = answered_in_scope = 0
    misses: list[tuple[float, dict[str, object]]] = []
    for case in cases:
        result = run(case.query)
        decisions[result.decision] += 1
        ids = [h.faq_id for h in result.hits]
        top = result.hits[0] if result.hits else None
        if case.gold is None:
            oos += 1
            oos_ok += result.decision == "fallback"
            if result.decision == "answer":
                answered += 1
            if result.decision != "fallback" and top:
                misses.append((top.score, _miss(case, result)))
            continue
        report.in_scope += 1
        rank = ids.index(case.gold) + 1 if case.gold in ids[:10] else 0
        hit1 += rank == 1
        hit3 += 0 < rank <= 3
        rr += 1 / rank if rank else 0
        if result.decision == "answer":
            answered += 1
            answered_in_scope += 1
            answered_ok += rank == 1
        if rank != 1:
            misses.append((top.score if top else 0.0, _miss(case, result)))
    n = max(report.in_scope, 1)
    report.top1, report.top3, report.mrr10 = hit1 / n, hit3 / n, rr / n
    report.answered_in_scope = answered_in_scope / n
    report.rates = {k: v / max(len(cases), 1) for k, v in decisions.items()}
    report.oos_rejection = oos_ok / oos if oos else None
    report.answer_precision = answered_ok / answered if answered else None
    report.misses = [m for _, m in sorted(misses, key=lambda pair: -float(pair[0]))[:worst]]
    return report


def _miss(case: Labelled, result: SearchResult) -> dict[str, object]:
    return {
        "query": case.query,
        "gold": case.gold,
        "decision": result.decision,
        "got": [(h.faq_id, round(h.score, 3)) for h in result.hits[:3]],
    }
