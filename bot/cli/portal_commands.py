"""``search`` and ``eval`` for a portal id: the portal routes each question to one of its tenants."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from rich.markup import escape

from bot.cli.app import console, fail, print_report
from bot.errors import FaqbotError
from bot.portals import PortalRouter, Routed, evaluate_routing, read_portal_cases
from bot.runtime import Runtime
from retrieval import Hit


def portal_router(runtime: Runtime, portal_id: str) -> PortalRouter | None:
    """The router when ``portal_id`` names a portal (its tenants' indexes loaded), else None."""
    router = PortalRouter.load(runtime)
    if portal_id not in router:
        return None
    for tenant_id in router.portal(portal_id).tenant_ids():
        runtime.index(tenant_id)
    return router


def _results(
    router: PortalRouter, portal_id: str, routed: Routed, k: int
) -> tuple[str, list[tuple[str, Hit]]]:
    if routed.tenant is not None and routed.result is not None:
        return routed.result.decision, [(routed.tenant, h) for h in routed.result.hits]
    # Asked or fell back: the best FAQs of the tenants it could have been, each with its tenant.
    tenants = routed.clarify or router.portal(portal_id).tenant_ids()
    hits = [(t, h) for t in tenants for h in router.runtime.search(t, routed.query, k=k).hits]
    hits.sort(key=lambda th: -th[1].score)
    return ("suggest" if routed.clarify else "fallback"), hits[:k]


def search_portal(router: PortalRouter, portal_id: str, k: int, as_json: bool) -> None:
    """One routed search per stdin line; JSON lines add ``tenant`` (null when the bot would ask)."""
    for line in sys.stdin:
        query = line.rstrip("\n")
        if not query.strip():
            continue
        routed = router.route(portal_id, query, k=k)
        decision, hits = _results(router, portal_id, routed, k)
        if as_json:
            results = [{"faq_id": h.faq_id, "score": round(h.score, 6), "tenant": t} for t, h in hits]
            line_out = {"query": query, "decision": decision, "tenant": routed.tenant, "results": results}
            print(json.dumps(line_out, ensure_ascii=False))
            sys.stdout.flush()
        else:
            target = routed.tenant or ("어느 곳인지 질문" if routed.clarify else "포털 안내")
            console.print(
                f"[bold]{escape(query)}[/] → [magenta]{target}[/] ({routed.reason}) [cyan]{decision}[/]"
            )
            for t, h in hits:
                console.print(f"  {h.score:.3f}  {t}  {escape(h.faq_id)}  {escape(h.entry.question)}")


def eval_portal(router: PortalRouter, portal_id: str, file: Path, as_json: bool, worst: int) -> None:
    """Routing accuracy on a ``[portal,]query,tenant[,faq_id]`` CSV (empty tenant: should ask)."""
    with file.open(encoding="utf-8-sig", newline="") as fh:
        if "tenant" not in (csv.DictReader(fh).fieldnames or []):
            fail(
                FaqbotError(
                    "포털 평가 파일에는 tenant 열이 필요합니다 (비어 있으면 되묻기가 정답).",
                    "a portal evaluation file needs a tenant column (empty: the bot should ask)",
                )
            )
    report = evaluate_routing(router, portal_id, read_portal_cases(file, portal_id), worst=worst)
    rows = [
        ("라우팅 정확도 (routing accuracy)", report.accuracy),
        ("기관 정답률 (right tenant)", report.tenant_accuracy),
        ("모호할 때 되묻기 (asked when ambiguous)", report.asked_when_ambiguous),
        ("top-1 (FAQ)", report.top1),
    ]
    misses = [f"{m['query']}  정답={m['gold']}  결과={m['got']}" for m in report.misses]
    title = f"{portal_id} — {file.name} ({report.queries}개 질문)"
    print_report(title, as_json, report.to_dict(), rows, misses)
