"""Portal routing: accuracy on the dev set's portal questions, out-of-scope rejection through the
portals, and the calibration grid behind the Routing defaults (bot/portals/config.py).

Routing accuracy counts a question right when the bot answers from the labelled tenant, or asks
which tenant is meant where the dev set marks the question ambiguous (empty tenant). Out-of-scope
rejection: a question from oos.csv ends in a fallback (the portal's own, or that of the tenant it
was routed to). Foreign visitors: each crosslingual.csv question through every portal that covers
its tenant, and bench/crosslingual.py's foreign off-topic questions through both portals.

    .venv/bin/python -m bench.region_portal
"""

from __future__ import annotations

import csv
import itertools
from dataclasses import dataclass

from bench.crosslingual import OFF_TOPIC
from bench.region_common import EVAL, demo_runtime
from bot.portals import Evidence, PortalRouter, Routing, decide


@dataclass(frozen=True)
class Case:
    portal: str
    query: str
    gold: str | None  # tenant id; None: ambiguous (should ask); "" : out of scope (should fall back)
    named: tuple[str, ...]
    names_others: bool
    evidence: dict[str, Evidence]


def _route(case: Case, routing: Routing) -> tuple[str | None, bool]:
    """(tenant answered, asked) as the router decides, for cached evidence."""
    if len(case.named) == 1:
        return case.named[0], False
    if not case.named and case.names_others:
        return None, False
    evidence = {t: e for t, e in case.evidence.items() if not case.named or t in case.named}
    tenant, clarify = decide(routing, evidence)
    return tenant, bool(clarify)


def _scores(cases: list[Case], routing: Routing) -> tuple[float, float]:
    right, rejected = [], []
    for case in cases:
        tenant, asked = _route(case, routing)
        if case.gold == "":
            fell_back = tenant is None or case.evidence[tenant].result.decision == "fallback"
            rejected.append(not asked and fell_back)
        else:
            right.append(asked if case.gold is None else tenant == case.gold)
    return sum(right) / len(right), sum(rejected) / len(rejected)


def main() -> None:
    runtime = demo_runtime()
    router = PortalRouter.load(runtime)
    with (EVAL / "portal.csv").open(encoding="utf-8-sig") as fh:
        labelled = [(r["portal"], r["query"], r["tenant"] or None) for r in csv.DictReader(fh)]
    with (EVAL / "oos.csv").open(encoding="utf-8-sig") as fh:
        oos = [r["query"] for r in csv.DictReader(fh)]
    rows = labelled + [(p, q, "") for p in ("jinju", "all") for q in oos]
    cases = [
        Case(p, q, gold, tuple(router.mentions(p, q)), bool(router.names_others(q)), router.evidence(p, q))
        for p, q, gold in rows
    ]
    current = router.portal("jinju").settings.routing

    print("| portal | questions | routing accuracy | out-of-scope questions | OOS rejection |")
    print("|---|---:|---:|---:|---:|")
    for portal in ("jinju", "all"):
        mine = [c for c in cases if c.portal == portal]
        accuracy, rejection = _scores(mine, current)
        n_in, n_oos = sum(c.gold != "" for c in mine), sum(c.gold == "" for c in mine)
        print(f"| {portal} | {n_in} | {accuracy:.3f} | {n_oos} | {rejection:.3f} |")
    accuracy, rejection = _scores(cases, current)
    print(f"| both | {len(labelled)} | {accuracy:.3f} | {2 * len(oos)} | {rejection:.3f} |")
    print(f"\nRouting defaults: {current!r}")

    foreign(router)

    # The grid: for each accuracy floor, the settings with the best out-of-scope rejection.
    grid = []
    for weight, margin, floor in itertools.product(
        [w / 20 for w in range(0, 21)], [m / 50 for m in range(0, 31)], [f / 20 for f in range(0, 31)]
    ):
        routing = Routing(topic_weight=weight, margin=margin, floor=floor)
        grid.append((*_scores(cases, routing), routing))
    print("\n| accuracy ≥ | best accuracy | OOS rejection | topic_weight | margin | floor |")
    print("|---:|---:|---:|---:|---:|---:|")
    for target in (0.95, 0.93, 0.90, 0.85):
        feasible = [g for g in grid if g[0] >= target]
        if feasible:
            acc, rej, r = max(feasible, key=lambda g: (g[1], g[0]))
            print(f"| {target:.2f} | {acc:.3f} | {rej:.3f} | {r.topic_weight} | {r.margin} | {r.floor} |")


def foreign(router: PortalRouter) -> None:
    """Foreign questions through the portals, routed in their own language: answered from their
    tenant, asked with it among the choices, the portal's fallback, or another tenant."""
    with (EVAL / "crosslingual.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    print("\n| portal | foreign questions | routed right | asked, right one offered | fallback | wrong |")
    print("|---|---:|---:|---:|---:|---:|")
    for portal in ("jinju", "all"):
        covered = router.portal(portal).tenant_ids()
        outcomes = []
        for row in (r for r in rows if r["tenant"] in covered):
            routed = router.route(portal, row["query"], language=row["lang"])
            if routed.tenant is not None:
                outcomes.append("right" if routed.tenant == row["tenant"] else "wrong")
            else:
                outcomes.append("asked" if row["tenant"] in routed.clarify else "fallback")
        n = len(outcomes)
        shares = (outcomes.count(o) / n for o in ("right", "asked", "fallback", "wrong"))
        print(f"| {portal} | {n} | " + " | ".join(f"{x:.2f}" for x in shares) + " |")
    print("\n| portal | foreign off-topic | fallback (portal or tenant) |")
    print("|---|---:|---:|")
    for portal in ("jinju", "all"):
        fell_back = 0
        for language, query in OFF_TOPIC:
            routed = router.route(portal, query, language=language)
            fell_back += not routed.clarify and (
                routed.result is None or routed.result.decision == "fallback"
            )
        print(f"| {portal} | {len(OFF_TOPIC)} | {fell_back / len(OFF_TOPIC):.2f} |")


if __name__ == "__main__":
    main()
