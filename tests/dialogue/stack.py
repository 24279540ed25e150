"""The real stack, shared by the dialogue tests and bench/rasa_chat_latency.py: the Rasa server
from .venv-rasa with a trained model, and the app under uvicorn, each on a free loopback port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from bot.app import create_app
from bot.dialogue.model import RasaProject
from bot.dialogue.processes import RasaServer
from bot.runtime import Runtime
from bot.settings import ChatLimits, Settings
from retrieval import Encoder

ROOT = Path(__file__).resolve().parents[2]
# Shared with `faqbot serve`: a model for unchanged inputs is trained once per checkout.
MODELS = ROOT / "var" / "rasa" / "models"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class AppServer:
    """The app under uvicorn in a thread of this process (so callers can inspect its state)."""

    def __init__(self, settings: Settings, runtime: Runtime) -> None:
        self.app = create_app(settings, runtime)
        self.url = f"http://127.0.0.1:{settings.port}"
        config = uvicorn.Config(self.app, host="127.0.0.1", port=settings.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 120
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the app did not start")
            time.sleep(0.1)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(30)


@dataclass
class Stack:
    app: AppServer
    rasa: RasaServer
    runtime: Runtime
    http: httpx.Client

    def chat(self, tenant: str, message: str, session_id: str | None = None) -> dict[str, Any]:
        return chat(self.http, self.app.url, tenant, message, session_id)

    def rasa_actions(self, tenant: str, session_id: str) -> list[str]:
        return rasa_actions(self.http, self.rasa.url, tenant, session_id)


def chat(
    http: httpx.Client, app_url: str, tenant: str, message: str, session_id: str | None
) -> dict[str, Any]:
    """One turn through the gateway's chat API; anything but 200 fails the test."""
    body = {"tenant": tenant, "session_id": session_id, "message": message}
    response = http.post(f"{app_url}/api/v1/chat", json=body)
    assert response.status_code == 200, response.text
    return dict(response.json())


def rasa_actions(http: httpx.Client, rasa_url: str, tenant: str, session_id: str) -> list[str]:
    """Actions Rasa ran in this conversation (read back from its tracker store), oldest first."""
    tracker = http.get(f"{rasa_url}/conversations/{tenant}:{session_id}/tracker").json()
    skip = {"action_listen", "action_session_start"}
    return [e["name"] for e in tracker["events"] if e["event"] == "action" and e["name"] not in skip]


@contextmanager
def running_stack(
    project: RasaProject, model: Path, data_dir: Path, state_dir: Path, encoder: Encoder, rasa_timeout: float
) -> Iterator[Stack]:
    """App and Rasa running against ``data_dir``, with state (indexes, tracker store) in ``state_dir``."""
    rasa_port, app_port = free_port(), free_port()
    settings = Settings(
        data_dir=data_dir,
        state_dir=state_dir,
        demo_source=ROOT.parent / "shared" / "faq",
        port=app_port,
        rasa_url=f"http://127.0.0.1:{rasa_port}",
        rasa_timeout=rasa_timeout,
        chat_limits=ChatLimits(enabled=False),
    )
    runtime = Runtime(settings, encoder=encoder)
    app = AppServer(settings, runtime)
    log_file = state_dir / "rasa-server.log"
    tracker_db = state_dir / "rasa" / "tracker.db"
    rasa = RasaServer(project, model, f"{app.url}/webhook", tracker_db, rasa_port, log_file)
    app.start()
    rasa.start()
    try:
        if not rasa.wait_healthy(240):
            raise RuntimeError(f"Rasa did not become healthy:\n{log_file.read_text()[-3000:]}")
        with httpx.Client(timeout=30) as http:
            yield Stack(app, rasa, runtime, http)
    finally:
        # The app first: its keep-alive connections would hold Rasa's graceful shutdown open.
        app.stop()
        rasa.stop()
