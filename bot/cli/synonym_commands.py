"""faqbot synonyms show/set/versions/rollback: a tenant's own synonyms, versioned like its FAQ.

``show`` prints the live version in the file format ``set`` reads, so an operator can save it, edit
it and load it back. A running server picks up a new version within ``live_poll_interval`` seconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.markup import escape
from rich.table import Table

from bot.cli.app import app, build_runtime, console, fail
from bot.cli.faq_commands import STATE_NAMES, TenantOpt, actor
from bot.errors import FaqbotError
from bot.operators import SynonymEditor
from bot.operators.errors import SynonymsInvalid
from nlu.lexicon import LexiconError, read_terms

synonyms_app = typer.Typer(help="테넌트 유의어 관리 (a tenant's own synonyms)", no_args_is_help=True)
app.add_typer(synonyms_app, name="synonyms")


@synonyms_app.command("show")
def show_command(tenant: TenantOpt) -> None:
    """게시 중인 유의어를 파일 형식(YAML)으로 출력합니다. Print the live synonyms as YAML."""
    runtime = build_runtime()
    try:
        live = runtime.live_synonyms(tenant)
    except FaqbotError as exc:
        fail(exc)
    print(f"# {tenant} 유의어 버전 {live.version} (표준어: [바꿀 말, …])")
    print(yaml.safe_dump({"terms": live.terms}, allow_unicode=True, sort_keys=False), end="")


@synonyms_app.command("set")
def set_command(
    tenant: TenantOpt,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="synonyms.yml 형식의 파일")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="차이를 보여 준 뒤 묻지 않고 게시")] = False,
) -> None:
    """파일의 유의어를 새 버전으로 게시합니다 (차이를 먼저 보여 줌). Show the diff against the live
    synonyms, then make the file's synonyms the new live version."""
    editor = SynonymEditor(build_runtime())
    try:
        try:
            terms = read_terms(file)
        except LexiconError as exc:
            raise SynonymsInvalid(str(exc)) from exc
        _print_synonym_diff(editor.preview(tenant, terms))
        if not yes and not typer.confirm("이대로 게시할까요? (publish these synonyms?)", err=True):
            raise typer.Exit(1)
        version = editor.save(tenant, terms, file.name, actor())
    except FaqbotError as exc:
        fail(exc)
    console.print(f"[green]✓[/] {tenant}: 유의어 버전 {version.version} 게시 (표준어 {len(version.terms)}개)")
    print(version.version)


def _print_synonym_diff(diff: dict[str, list[str]]) -> None:
    for key, label, colour in (
        ("added", "추가", "green"),
        ("removed", "삭제", "red"),
        ("changed", "변경", "yellow"),
    ):
        words = diff[key]
        shown = ", ".join(escape(w) for w in words[:30]) + (
            f" … 외 {len(words) - 30}개" if len(words) > 30 else ""
        )
        console.print(f"[{colour}]{label} {len(words)}개[/]" + (f": {shown}" if words else ""))


@synonyms_app.command("rollback")
def rollback_command(tenant: TenantOpt, to: Annotated[int, typer.Option("--to", help="되돌릴 버전")]) -> None:
    """예전 유의어 버전으로 되돌립니다. Make an earlier synonym version live again."""
    try:
        version = SynonymEditor(build_runtime()).rollback(tenant, to, actor())
    except FaqbotError as exc:
        fail(exc)
    console.print(f"[green]✓[/] {tenant}: 유의어 버전 {version.version}(으)로 되돌렸습니다.")


@synonyms_app.command("versions")
def versions_command(tenant: TenantOpt) -> None:
    """유의어 버전 목록. List synonym versions."""
    runtime = build_runtime()
    try:
        runtime.live_synonyms(tenant)  # seeds version 1 on first use
        versions = runtime.store.synonyms.list(tenant)
    except FaqbotError as exc:
        fail(exc)
    table = Table(title=f"{tenant} 유의어 버전")
    for column in ("버전", "상태", "원본", "표준어", "만든 사람", "만든 시각"):
        table.add_column(column)
    for v in versions:
        s = v.summary()
        table.add_row(
            str(v.version),
            STATE_NAMES.get(v.state, v.state),
            escape(v.source),
            str(s["terms"]),
            v.created_by,
            str(s["created_at"]),
        )
    console.print(table)
