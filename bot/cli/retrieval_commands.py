"""search, eval, index build, tenants: the retrieval side of the CLI (a contract other tools use)."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from bot.cli.app import app, build_runtime, console, fail, index_app, print_report, progress_bar
from bot.cli.portal_commands import eval_portal, portal_router, search_portal
from bot.errors import FaqbotError
from bot.runtime import Runtime
from retrieval import FaqEntry
from retrieval.evaluation import Labelled, Report, evaluate

TenantOpt = Annotated[str, typer.Option("--tenant", "-t", help="테넌트 ID (tenant id)")]


@app.command("search")
def search_command(
    tenant: TenantOpt,
    k: Annotated[int, typer.Option("--k", min=1, max=100, help="결과 개수")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines on stdout")] = False,
) -> None:
    """표준입력의 질문(한 줄에 하나)을 검색합니다. Search one query per stdin line."""
    runtime = build_runtime()
    try:
        if router := portal_router(runtime, tenant):
            return search_portal(router, tenant, k, as_json)
        runtime.index(tenant)
    except FaqbotError as exc:
        fail(exc)
    for line in sys.stdin:
        query = line.rstrip("\n")
        if not query.strip():
            continue
        result = runtime.search(tenant, query, k=k)
        if as_json:
            results = [{"faq_id": h.faq_id, "score": round(h.score, 6)} for h in result.hits]
            print(
                json.dumps(
                    {"query": query, "decision": result.decision, "results": results}, ensure_ascii=False
                )
            )
            sys.stdout.flush()
        else:
            console.print(f"[bold]{escape(query)}[/] → [cyan]{result.decision}[/]")
            for h in result.hits:
                console.print(f"  {h.score:.3f}  {escape(h.faq_id)}  {escape(h.entry.question)}")


def _read_cases(path: Path, tenant: str) -> dict[str, list[Labelled]]:
    """The file's cases by language (its ``lang`` column, Korean without one); a ``tenant`` column
    keeps only this tenant's rows."""
    by_language: dict[str, list[Labelled]] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if row.get("tenant") not in (None, "", tenant):
                continue
            case = Labelled(row["query"], row.get("faq_id") or None)
            by_language.setdefault(row.get("lang") or "ko", []).append(case)
    return by_language


@app.command("eval")
def eval_command(
    tenant: TenantOpt,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="query,faq_id CSV")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
    worst: Annotated[int, typer.Option(help="보여줄 최악의 오답 수")] = 10,
) -> None:
    """평가 세트로 검색 품질을 측정합니다. Evaluate retrieval on a labelled CSV."""
    runtime = build_runtime()
    try:
        if router := portal_router(runtime, tenant):
            return eval_portal(router, tenant, file, as_json, worst)
        runtime.index(tenant)
    except FaqbotError as exc:
        fail(exc)
    by_language = _read_cases(file, tenant)
    language_of = {c.query: language for language, cases in by_language.items() for c in cases}
    report = evaluate(
        [c for cases in by_language.values() for c in cases],
        lambda q: runtime.search(tenant, q, k=10, language=language_of[q]),
        worst=worst,
    )
    rows = _metric_rows(report)
    data = report.to_dict()
    if set(by_language) != {"ko"}:
        # Per language too: each with its own tuning (RetrievalConfig.languages).
        parts: dict[str, object] = {}
        for language, cases in sorted(by_language.items()):
            part = evaluate(cases, lambda q: runtime.search(tenant, q, k=10, language=language_of[q]), 0)
            parts[language] = part.to_dict()
            rows += [(f"{name} [{language}]", value) for name, value in _metric_rows(part)[:3]]
        data["languages"] = parts
    misses = [f"{m['query']}  정답={m['gold']}  결정={m['decision']}  결과={m['got']}" for m in report.misses]
    title = f"{tenant} — {file.name} ({report.queries}개 질문)"
    print_report(title, as_json, data, rows, misses)


def _metric_rows(report: Report) -> list[tuple[str, float | None]]:
    return [
        ("top-1", report.top1),
        ("top-3", report.top3),
        ("MRR@10", report.mrr10),
        *((f"{k} 비율 (rate)", v) for k, v in report.rates.items()),
        ("범위 밖 거절률 (OOS rejection)", report.oos_rejection),
        ("답변 정확도 (answer precision)", report.answer_precision),
        ("범위 안 질문 중 바로 답변 (in-scope answered)", report.answered_in_scope),
    ]


@index_app.command("build")
def index_build(
    tenant: Annotated[str | None, typer.Option("--tenant", "-t", help="한 테넌트만 (default: 전부)")] = None,
) -> None:
    """오래된 색인을 다시 만듭니다. Build stale indexes (all tenants, or one)."""
    runtime = build_runtime()
    try:
        ids = [runtime.tenant(tenant).id] if tenant else runtime.tenants.ids()
        for tenant_id in ids:
            entries = runtime.live_entries(tenant_id)
            if runtime.indexes.is_fresh(tenant_id, entries):
                console.print(f"[green]✓[/] {tenant_id}: 최신 (up to date)")
                continue
            with progress_bar(f"{tenant_id} 색인 생성 (FAQ)", len(entries)) as bar:
                runtime.load(tenant_id, progress=lambda n: bar.advance(bar.task_ids[0], n))
            console.print(f"[green]✓[/] {tenant_id}: {len(entries)}개 FAQ 색인 완료")
    except FaqbotError as exc:
        fail(exc)


@app.command("tenants")
def tenants_command() -> None:
    """테넌트 목록과 FAQ 수, 색인 상태. List tenants with FAQ counts and index state."""
    runtime = build_runtime()
    table = Table()
    for column in ("ID", "이름", "종류", "지역", "FAQ", "색인"):
        table.add_column(column)
    for t in runtime.tenants:
        try:
            entries = runtime.live_entries(t.id)
            count, state = str(len(entries)), _index_state(runtime, t.id, entries)
        except FaqbotError as exc:
            count, state = "—", exc.message_ko
        kind = "대학" if t.kind == "university" else "축제"
        table.add_row(t.id, t.display_name, kind, f"{t.region.sido} {t.region.sigungu}", count, state)
    console.print(table)


def _index_state(runtime: Runtime, tenant_id: str, entries: list[FaqEntry]) -> str:
    state = runtime.indexes.state(tenant_id, entries)
    if state == "complete":
        return "최신"
    if state == "stale":
        return "재생성 필요"
    noted = runtime.indexes.dense_progress(tenant_id, entries)
    done, total = noted or (0, len(entries))
    return f"BM25로 응답 중, e5 {done:,} / {total:,}"
