"""faqbot faq import/diff/publish/rollback/versions: the FAQ lifecycle from the command line.

Publishing here writes the index and the live version to the shared state; a running server notices
the new live version within ``live_poll_interval`` seconds and swaps it in.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from bot.cli.app import app, build_runtime, console, fail, progress_bar
from bot.errors import FaqbotError
from bot.faqsets import parse_faq_file, validate_rows
from bot.operators import FaqLifecycle
from bot.operators.report import diff_entries
from bot.store import FaqVersion

faq_app = typer.Typer(
    help="FAQ 버전 관리 (FAQ versions: import, diff, publish, rollback)", no_args_is_help=True
)
app.add_typer(faq_app, name="faq")

TenantOpt = Annotated[str, typer.Option("--tenant", "-t", help="테넌트 ID (tenant id)")]
STATE_NAMES = {"draft": "초안", "live": "[green]게시 중[/]", "retired": "보관"}


def actor() -> str:
    return f"cli:{getpass.getuser()}"[:64]


def _print_diff(diff: dict[str, list[dict[str, Any]]]) -> None:
    for key, label, colour in (
        ("added", "추가", "green"),
        ("removed", "삭제", "red"),
        ("changed", "변경", "yellow"),
    ):
        items = diff[key]
        console.print(f"[{colour}]{label} {len(items)}건[/]")
        for item in items[:20]:
            fields = f"  ({', '.join(item['fields'])})" if "fields" in item else ""
            # FAQ text is the operator's, not markup: "[/b]" in a question is printed as it is.
            console.print(f"  {escape(item['id'])}  {escape(item['question'])}{fields}")
        if len(items) > 20:
            console.print(f"  … 외 {len(items) - 20}건")


def _print_report(version: FaqVersion) -> None:
    report = version.report
    for kind, colour, label in (("errors", "red", "오류"), ("warnings", "yellow", "경고")):
        issues = report[kind]
        if not issues:
            continue
        table = Table(title=f"{label} {len(issues)}건", title_style=colour)
        for column in ("행", "열", "내용"):
            table.add_column(column)
        for issue in issues[:50]:
            message = f"{escape(issue['message'])}\n[dim]{escape(issue['message_en'])}[/]"
            table.add_row(str(issue["row"]), issue["column"], message)
        console.print(table)
    _print_diff(report["diff"])


AllowDeletionsOpt = Annotated[
    bool,
    typer.Option(
        "--allow-deletions", help="게시 중인 FAQ를 많이 지우는 초안도 게시 (confirm a mass deletion)"
    ),
]


def _go_live(lifecycle: FaqLifecycle, version: FaqVersion, action: str) -> None:
    with progress_bar(f"버전 {version.version} 색인 생성 (FAQ)", len(version.entries)) as bar:
        lifecycle.go_live(version, actor(), action, progress=lambda n: bar.advance(bar.task_ids[0], n))
    console.print(f"[green]✓[/] {version.tenant}: 버전 {version.version}이(가) 게시되었습니다.")


@faq_app.command("import")
def import_command(
    tenant: TenantOpt,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV, XLSX 또는 YAML 파일")],
    publish: Annotated[bool, typer.Option("--publish", help="오류가 없으면 바로 게시")] = False,
    allow_deletions: AllowDeletionsOpt = False,
) -> None:
    """파일을 초안 버전으로 가져옵니다 (검증 보고서와 차이 표시). Import a file as a draft version."""
    lifecycle = FaqLifecycle(build_runtime())
    try:
        version = lifecycle.import_file(tenant, file.name, file.read_bytes(), actor())
        _print_report(version)
        console.print(
            f"버전 {version.version} 초안: FAQ {len(version.entries)}개, "
            f"오류 {len(version.report['errors'])}건, 경고 {len(version.report['warnings'])}건"
        )
        if not version.publishable:
            console.print("[red]오류가 있어 게시할 수 없습니다.[/] 파일을 고쳐 다시 가져오세요.")
            print(version.version)
            raise typer.Exit(1)
        if publish:
            found = lifecycle.check_publishable(tenant, version.version, actor(), allow_deletions)
            _go_live(lifecycle, found, "publish")
    except FaqbotError as exc:
        fail(exc)
    print(version.version)


@faq_app.command("diff")
def diff_command(
    tenant: TenantOpt,
    file: Annotated[Path | None, typer.Argument(exists=True, dir_okay=False, help="비교할 파일")] = None,
    version: Annotated[int | None, typer.Option("--version", "-v", help="비교할 버전")] = None,
) -> None:
    """현재 게시 버전과의 차이를 보여줍니다. Diff a file or a version against the live version."""
    if (file is None) == (version is None):
        console.print("[red]파일 또는 --version 중 하나를 지정하세요.[/]")
        raise typer.Exit(2)
    runtime = build_runtime()
    try:
        if file is not None:
            entries = validate_rows(parse_faq_file(file.name, file.read_bytes())).entries
        else:
            assert version is not None
            entries = list(runtime.store.versions.get(tenant, version).entries)
        live = runtime.live_version(tenant)
    except FaqbotError as exc:
        fail(exc)
    console.print(f"현재 게시 버전 {live.version} 대비:")
    _print_diff(diff_entries(live.entries, entries))


@faq_app.command("publish")
def publish_command(
    tenant: TenantOpt,
    version: Annotated[int | None, typer.Option("--version", "-v", help="기본: 가장 최근 초안")] = None,
    allow_deletions: AllowDeletionsOpt = False,
) -> None:
    """초안 버전을 게시합니다. Publish a draft (default: the newest one).

    다른 버전이 그 사이 게시되었으면 서로 다른 FAQ를 고친 경우 자동으로 맞춰(rebase) 게시하고,
    같은 FAQ를 고쳤으면 거부합니다 (exit 2). A draft whose base is no longer live is rebased when
    the changes do not overlap, refused otherwise."""
    lifecycle = FaqLifecycle(build_runtime())
    try:
        lifecycle.runtime.tenant(tenant)
        if version is None:
            drafts = [v for v in lifecycle.store.versions.list(tenant) if v.state == "draft"]
            if not drafts:
                console.print("[yellow]게시할 초안이 없습니다.[/]")
                raise typer.Exit(1)
            version = drafts[0].version
        found = lifecycle.check_publishable(tenant, version, actor(), allow_deletions)
        if found.version != version:
            console.print(
                f"버전 {version}을(를) 현재 게시 버전에 맞춰 버전 {found.version}(으)로 만들었습니다."
            )
        _go_live(lifecycle, found, "publish")
    except FaqbotError as exc:
        fail(exc)


@faq_app.command("discard")
def discard_command(tenant: TenantOpt, version: Annotated[int, typer.Option("--version", "-v")]) -> None:
    """초안 버전을 지웁니다. Delete a draft version (published ones stay for rollback)."""
    lifecycle = FaqLifecycle(build_runtime())
    try:
        lifecycle.discard(tenant, version, actor())
    except FaqbotError as exc:
        fail(exc)
    console.print(f"[green]✓[/] {tenant}: 초안 버전 {version}을(를) 지웠습니다.")


@faq_app.command("rollback")
def rollback_command(
    tenant: TenantOpt,
    to: Annotated[int, typer.Option("--to", help="되돌릴 버전")],
) -> None:
    """예전 버전으로 되돌립니다. Make an earlier version live again."""
    lifecycle = FaqLifecycle(build_runtime())
    try:
        _go_live(lifecycle, lifecycle.check_rollback(tenant, to), "rollback")
    except FaqbotError as exc:
        fail(exc)


@faq_app.command("versions")
def versions_command(tenant: TenantOpt) -> None:
    """버전 목록 (상태, 만든/게시한 사람과 시각). List versions with state, who and when."""
    runtime = build_runtime()
    try:
        runtime.live_version(tenant)  # seeds version 1 on first use
        versions = runtime.store.versions.list(tenant)
    except FaqbotError as exc:
        fail(exc)
    table = Table(title=f"{tenant} FAQ 버전")
    for column in (
        "버전",
        "상태",
        "원본",
        "FAQ",
        "오류/경고",
        "만든 사람",
        "만든 시각",
        "게시한 사람",
        "게시 시각",
    ):
        table.add_column(column, no_wrap=column in ("버전", "상태"))
    for v in versions:
        s = v.summary()
        table.add_row(
            str(v.version),
            STATE_NAMES.get(v.state, v.state),
            escape(v.source),
            str(s["faqs"]),
            f"{s['errors']}/{s['warnings']}",
            v.created_by,
            str(s["created_at"]),
            v.published_by or "—",
            str(s["published_at"] or "—"),
        )
    console.print(table)
