"""faqbot serve: run the product in the foreground until SIGINT/SIGTERM."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.app import app, console
from bot.dialogue.sidecar import rasa_alongside
from bot.observability import configure_logging
from bot.settings import Settings


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option(help="listen address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="listen port")] = 8000,
) -> None:
    """챗봇 서버를 실행합니다 (Ctrl-C로 종료). Serve the gateway in the foreground."""
    import uvicorn

    from bot.app import create_app

    settings = Settings(host=host, port=port)
    configure_logging(settings.log_level, settings.log_json)
    console.print(f"[bold]faqbot[/] → http://{host}:{port}")
    with rasa_alongside(settings, console.print) as (settings, own_rasa):
        # uvicorn's own logging config would replace the JSON formatter with request ids.
        # The app applies X-Forwarded-For itself (settings.forwarded_allow_ips), so uvicorn must not.
        app = create_app(settings, own_rasa=own_rasa)
        uvicorn.run(app, host=host, port=port, log_config=None, access_log=False, proxy_headers=False)
