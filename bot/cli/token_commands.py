"""faqbot token create/list/revoke: operator tokens (stored hashed; shown once at creation)."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from bot.cli.app import app, console, fail
from bot.errors import FaqbotError
from bot.settings import Settings
from bot.store import Store
from bot.tenancy import TenantRegistry

token_app = typer.Typer(help="운영자 토큰 관리 (operator tokens)", no_args_is_help=True)
app.add_typer(token_app, name="token")


def _store(settings: Settings) -> Store:
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    return Store(settings.sqlalchemy_url)


@token_app.command("create")
def create_command(
    tenant: Annotated[str | None, typer.Option("--tenant", "-t", help="이 테넌트만 관리하는 토큰")] = None,
    admin: Annotated[bool, typer.Option("--admin", help="모든 테넌트를 관리하는 토큰")] = False,
    label: Annotated[str, typer.Option(help="메모 (누구의 토큰인지)")] = "",
) -> None:
    """새 토큰을 만들어 stdout 마지막 줄에 출력합니다 (다시 볼 수 없습니다). Print a new token."""
    if (tenant is None) == (not admin):
        console.print("[red]--tenant ID 또는 --admin 중 하나를 지정하세요.[/]")
        raise typer.Exit(2)
    settings = Settings()
    try:
        if tenant is not None:
            TenantRegistry.load(settings.tenants_dir).get(tenant)
    except FaqbotError as exc:
        fail(exc)
    store = _store(settings)
    token = store.tokens.create(tenant, label)
    token_id = token.split("_")[1]
    store.audit.record(
        f"cli:{getpass.getuser()}"[:64], tenant, "token_create", token_id=token_id, label=label
    )
    scope = f"테넌트 {tenant}" if tenant else "전체 관리자(admin)"
    console.print(f"[green]✓[/] {scope} 토큰을 만들었습니다 (id {token_id}). 지금 한 번만 표시됩니다.")
    print(token)


@token_app.command("list")
def list_command() -> None:
    """토큰 목록 (비밀 값은 저장되지 않습니다). List tokens."""
    table = Table()
    for column in ("ID", "테넌트", "메모", "만든 시각", "폐기"):
        table.add_column(column)
    for row in _store(Settings()).tokens.list():
        table.add_row(
            str(row["id"]),
            str(row["tenant"] or "(admin)"),
            escape(str(row["label"])),
            str(row["created_at"]),
            "예" if row["revoked"] else "",
        )
    console.print(table)


@token_app.command("revoke")
def revoke_command(token_id: Annotated[str, typer.Argument(help="토큰 ID (fqb_<ID>_…)")]) -> None:
    """토큰을 폐기합니다. Revoke a token."""
    store = _store(Settings())
    if not store.tokens.revoke(token_id):
        console.print(f"[red]토큰 {token_id}을(를) 찾을 수 없거나 이미 폐기되었습니다.[/]")
        raise typer.Exit(1)
    store.audit.record(f"cli:{getpass.getuser()}"[:64], None, "token_revoke", token_id=token_id)
    console.print(f"[green]✓[/] 토큰 {token_id}을(를) 폐기했습니다.")
