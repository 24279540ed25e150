"""Regional lexicon: the dev sets' dialect questions searched with and without it.

"Without" still applies the general slang lexicon (inside the index); "with" adds the tenant's
regional dialect file and its own synonyms first, exactly as Runtime.search does.

    .venv/bin/python -m bench.region_lexicon
"""

from __future__ import annotations

import csv
from collections.abc import Callable

from bench.region_common import EVAL, demo_runtime
from retrieval import SearchResult, search


def _rates(cases: list[tuple[str, str]], run: Callable[[str], SearchResult]) -> tuple[float, ...]:
    top1 = top3 = answered_right = confidence = 0.0
    for query, gold in cases:
        result = run(query)
        ids = [h.faq_id for h in result.hits]
        top1 += ids[:1] == [gold]
        top3 += gold in ids[:3]
        answered_right += result.decision == "answer" and ids[:1] == [gold]
        # How sure the engine is when its first result is the right one (0 when it is not).
        confidence += result.confidence if ids[:1] == [gold] else 0.0
    n = len(cases)
    return top1 / n, top3 / n, answered_right / n, confidence / n


def main() -> None:
    runtime = demo_runtime()
    print("| tenant | rows | lexicon | top-1 | top-3 | answered right | mean confidence when right |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for tenant in runtime.tenants:
        with (EVAL / f"{tenant.id}.csv").open(encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
        for kind in ("dialect", None):
            cases = [(r["query"], r["faq_id"]) for r in rows if r["faq_id"] and kind in (None, r["kind"])]
            index = runtime.index(tenant.id)
            runs = {
                "without": lambda q, i=index, t=tenant: search(i, q, t.thresholds, k=10),
                "with": lambda q, t=tenant: runtime.search(t.id, q, k=10),
            }
            for name, run in runs.items():
                top1, top3, right, sure = _rates(cases, run)
                label = f"{tenant.id} ({kind or 'all kinds'})"
                figures = " | ".join(f"{v:.3f}" for v in (top1, top3, right, sure))
                print(f"| {label} | {len(cases)} | {name} | {figures} |")
    changed = 0
    for tenant in runtime.tenants:
        with (EVAL / f"{tenant.id}.csv").open(encoding="utf-8-sig") as fh:
            for row in csv.DictReader(fh):
                if row["kind"] == "dialect" and runtime.normalise(tenant.id, row["query"]) != row["query"]:
                    changed += 1
    print(f"\ndialect questions rewritten by the lexicon: {changed}")


if __name__ == "__main__":
    main()
