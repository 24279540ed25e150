"""The Typer application and what every command shares: settings, console, runtime."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bot.errors import FaqbotError
from bot.runtime import Runtime
from bot.settings import Settings

app = typer.Typer(
    help="faqbot — 지역 기반 한국어 FAQ 챗봇 (Korean FAQ chatbot)",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
index_app = typer.Typer(help="색인 관리 (index management)", no_args_is_help=True)
app.add_typer(index_app, name="index")

# Human-facing output goes to stderr so stdout stays machine-readable (JSON lines, tokens).
console = Console(stderr=True)


def build_runtime() -> Runtime:
    return Runtime(Settings())


def fail(error: FaqbotError, code: int = 2) -> None:
    report_error(error)
    raise typer.Exit(code)


def report_error(error: FaqbotError) -> None:
    """One line on stderr, never wrapped (a log collector or ``grep`` sees the whole message)."""
    console.print(
        f"[bold red]오류:[/] {escape(error.message_ko)} [dim]({escape(error.message_en)})[/]", soft_wrap=True
    )


def print_report(
    title: str,
    as_json: bool,
    data: dict[str, object],
    rows: list[tuple[str, float | None]],
    misses: list[str],
) -> None:
    """An evaluation report: one JSON object on stdout, or a metrics table and the worst misses."""
    if as_json:
        print(json.dumps(data, ensure_ascii=False))
        return
    table = Table(title=title)
    table.add_column("지표 (metric)")
    table.add_column("값", justify="right")
    for name, value in rows:
        table.add_row(name, "—" if value is None else f"{value:.3f}")
    console.print(table)
    for miss in misses:
        console.print(f"  [red]✗[/] {escape(miss)}")


@contextmanager
def progress_bar(description: str, total: int) -> Iterator[Progress]:
    """A rich progress bar on stderr (hidden when stderr is not a terminal and the task is short)."""
    with Progress(
        TextColumn("[bold blue]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=not sys.stderr.isatty(),
    ) as progress:
        progress.add_task(description, total=total)
        yield progress
