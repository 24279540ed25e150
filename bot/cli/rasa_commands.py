"""faqbot rasa train / status: the Rasa model and server from the command line."""

from __future__ import annotations

import json
import time
from typing import Annotated

import httpx
import typer

from bot.cli.app import app, console
from bot.dialogue.model import RasaTrainingFailed
from bot.dialogue.processes import RASA_HOST, project_for
from bot.settings import Settings

rasa_app = typer.Typer(help="Rasa 대화 모델 (Rasa dialogue model)", no_args_is_help=True)
app.add_typer(rasa_app, name="rasa")


@rasa_app.command("train")
def train_command(
    force: Annotated[bool, typer.Option("--force", help="retrain even if the inputs did not change")] = False,
) -> None:
    """config.yml·domain.yml·data/rasa가 바뀌었을 때만 Rasa 모델을 학습합니다. Train if inputs changed."""
    project = project_for(Settings())
    if not project.available:
        console.print("[bold red]오류:[/] .venv-rasa가 없습니다 — scripts/bootstrap.sh를 실행하세요.")
        raise typer.Exit(2)
    if project.is_current() and not force:
        console.print(f"[green]최신 모델[/] (up to date): {project.model_path()}")
        return
    started = time.monotonic()
    with console.status("Rasa 모델 학습 중… (training)"):
        try:
            model = project.train(force=force)
        except RasaTrainingFailed as exc:
            console.print(f"[bold red]학습 실패:[/] {exc}")
            raise typer.Exit(1) from exc
    console.print(f"[green]학습 완료[/] ({time.monotonic() - started:.0f}초): {model}")


@rasa_app.command("status")
def status_command(
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object on stdout")] = False,
) -> None:
    """모델이 최신인지, Rasa 서버가 응답하는지 보여 줍니다. Model freshness and server health."""
    settings = Settings()
    project = project_for(settings)
    # Without a pinned port, `faqbot serve` picks a free one each start: its /readyz says how Rasa is.
    pinned = f"http://{RASA_HOST}:{settings.rasa_port}" if settings.rasa_port else None
    url = settings.rasa_url or pinned
    server = None
    try:
        response = httpx.get(f"{url}/status", timeout=2.0) if url else None
        if response is not None and response.status_code == 200:
            server = response.json().get("model_file")
    except (httpx.HTTPError, ValueError):
        pass
    status = {
        "environment": project.available,
        "model": str(project.model_path()),
        "model_current": project.available and project.is_current(),
        "server_url": url,
        "server_model": server,
    }
    if as_json:
        typer.echo(json.dumps(status, ensure_ascii=False))
        return
    console.print(f"Rasa 환경 (.venv-rasa): {'있음' if status['environment'] else '없음'}")
    console.print(f"모델: {status['model']} — {'최신' if status['model_current'] else '학습 필요 (stale)'}")
    where = url or "(faqbot serve가 고른 빈 포트 — a free port per serve; see its /readyz)"
    console.print(f"서버 {where}: {server or '응답 없음 (not reachable)'}")
