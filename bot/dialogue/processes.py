"""The Rasa server as a child process of ``faqbot serve``: started on loopback from .venv-rasa,
waited for, and stopped cleanly (SIGTERM, then SIGKILL after a grace period).

Each start gets a fresh nonce that the server answers at ``/faqbot/instance`` (rasa_server/lifecycle.py),
so the app can tell its own Rasa from any other server on the same port.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import secrets
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from bot.dialogue.client import INSTANCE_PATH
from bot.dialogue.endpoints import DEFAULT_ENDPOINTS
from bot.dialogue.model import RasaProject
from bot.settings import Settings

log = logging.getLogger(__name__)

RASA_HOST = "127.0.0.1"
STOP_GRACE_SECONDS = 10.0


@dataclass(frozen=True)
class RasaInstance:
    """What a server at ``/faqbot/instance`` says it is."""

    instance: str
    pid: int
    model_loaded: bool


def instance_at(port: int, timeout: float = 2.0) -> RasaInstance | None:
    """The faqbot Rasa answering on loopback ``port``; None when nothing does, or a server that is
    not one of ours (a stock ``rasa run``, an older faqbot, anything else). Asked once a second by
    the sidecar, so through the standard library: httpx would log every probe."""
    connection = http.client.HTTPConnection(RASA_HOST, port, timeout=timeout)
    try:
        connection.request("GET", INSTANCE_PATH)
        response = connection.getresponse()
        body = json.loads(response.read()) if response.status == 200 else None
        if not isinstance(body, dict):
            return None
        return RasaInstance(str(body["instance"]), int(body["pid"]), bool(body["model_loaded"]))
    except (OSError, http.client.HTTPException, ValueError, KeyError, TypeError):
        return None
    finally:
        connection.close()


@dataclass
class RasaServer:
    project: RasaProject
    model: Path
    action_url: str
    tracker_db: Path
    port: int
    log_file: Path | None = None
    # Scale-out mode passes a generated file (bot.dialogue.endpoints): trackers in Postgres, locks in Redis.
    endpoints: Path = DEFAULT_ENDPOINTS
    process: subprocess.Popen[bytes] | None = None
    instance: str = ""

    @property
    def url(self) -> str:
        return f"http://{RASA_HOST}:{self.port}"

    def start(self) -> None:
        self.tracker_db.parent.mkdir(parents=True, exist_ok=True)
        command = [
            *self.project.server_command, "run", "--enable-api", "-i", RASA_HOST, "-p", str(self.port),
            "--model", str(self.model), "--endpoints", str(self.endpoints),
            "--credentials", "credentials.yml",
        ]  # fmt: skip
        self.instance = secrets.token_hex(8)
        env = self.project.env(
            FAQBOT_ACTION_URL=self.action_url,
            FAQBOT_RASA_TRACKER_DB=str(self.tracker_db.resolve()),
            FAQBOT_RASA_INSTANCE=self.instance,
            FAQBOT_RASA_PARENT_PID=str(os.getpid()),
        )
        out = self.log_file.open("ab") if self.log_file else None
        # A session of its own: Ctrl-C reaches only faqbot, which then stops Rasa in order. Should
        # faqbot die without doing so, Rasa stops itself (rasa_server/lifecycle.py).
        self.process = subprocess.Popen(
            command,
            cwd=self.project.root,
            env=env,
            stdout=out or subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if out is not None:
            out.close()  # the child has its own copy; a restart must not leak one
        log.info("Rasa server starting (pid %d) on %s", self.process.pid, self.url)

    def healthy(self) -> bool:
        """The server answers and has a model loaded."""
        try:
            response = httpx.get(f"{self.url}/status", timeout=2.0)
        except httpx.HTTPError:
            return False
        return response.status_code == 200 and bool(response.json().get("model_file"))

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def is_ours(self, found: RasaInstance) -> bool:
        """``found`` (what answered on this server's port) is this start of this server."""
        return (found.instance, found.pid) == (self.instance, self.pid)

    def wait_healthy(self, timeout: float) -> bool:
        """Wait until the model is loaded, then warm it up; False if Rasa died or took too long."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                return False
            if self.healthy():
                self.warm_up()
                return True
            time.sleep(0.5)
        return False

    def warm_up(self) -> None:
        """Parse one message: the first parse loads Kiwi's dictionary (the tokenizer loads it
        lazily), which takes seconds; a visitor's first turn must not pay for it (and time out)."""
        try:
            httpx.post(f"{self.url}/model/parse", json={"text": "안녕하세요"}, timeout=60.0)
        except httpx.HTTPError:
            log.warning("Rasa warm-up failed; the first turn may be slow")

    def warm_up_turn(self, tenant_id: str) -> None:
        """One whole turn (policies, the action call to the app, the tracker store) once the app
        answers, so the first visitors' turns do not pay the first-call costs of each."""
        body = {"sender": "faqbot-warm-up", "message": "안녕하세요", "metadata": {"tenant": tenant_id}}
        try:
            httpx.post(f"{self.url}/webhooks/rest/webhook", json=body, timeout=60.0)
        except httpx.HTTPError:
            log.warning("Rasa warm-up turn failed; the first turns may be slow")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            log.warning("Rasa server did not stop in %.0f s; killing it", STOP_GRACE_SECONDS)
            self.process.kill()
            self.process.wait()
        log.info("Rasa server stopped")


PROJECT_ROOT = Path(__file__).resolve().parents[2]


def project_for(settings: Settings) -> RasaProject:
    return RasaProject(PROJECT_ROOT, settings.state_dir.resolve() / "rasa" / "models")
