"""The Rasa server as a child process of ``faqbot serve``: started on loopback from .venv-rasa,
waited for, and stopped cleanly (SIGTERM, then SIGKILL after a grace period)."""

from __future__ import annotations

import logging
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bot.dialogue.endpoints import DEFAULT_ENDPOINTS, endpoints_file
from bot.dialogue.model import RasaProject
from bot.settings import Settings
from bot.tenancy import TenantRegistry

log = logging.getLogger(__name__)

RASA_HOST = "127.0.0.1"
RASA_PORT = 5005
STOP_GRACE_SECONDS = 10.0


@dataclass
class RasaServer:
    project: RasaProject
    model: Path
    action_url: str
    tracker_db: Path
    port: int = RASA_PORT
    log_file: Path | None = None
    # Scale-out mode passes a generated file (bot.dialogue.endpoints): trackers in Postgres, locks in Redis.
    endpoints: Path = DEFAULT_ENDPOINTS
    process: subprocess.Popen[bytes] | None = None

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
        env = self.project.env(
            FAQBOT_ACTION_URL=self.action_url, FAQBOT_RASA_TRACKER_DB=str(self.tracker_db.resolve())
        )
        out = self.log_file.open("ab") if self.log_file else subprocess.DEVNULL
        # A session of its own: Ctrl-C reaches only faqbot, which then stops Rasa in order.
        self.process = subprocess.Popen(
            command,
            cwd=self.project.root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.info("Rasa server starting (pid %d) on %s", self.process.pid, self.url)

    def healthy(self) -> bool:
        """The server answers and has a model loaded."""
        try:
            response = httpx.get(f"{self.url}/status", timeout=2.0)
        except httpx.HTTPError:
            return False
        return response.status_code == 200 and bool(response.json().get("model_file"))

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
READY_TIMEOUT_SECONDS = 180.0


def project_for(settings: Settings) -> RasaProject:
    return RasaProject(PROJECT_ROOT, settings.state_dir.resolve() / "rasa" / "models")


@contextmanager
def rasa_alongside(settings: Settings, notify: Callable[[str], None]) -> Iterator[Settings]:
    """Run a Rasa server next to the app for the duration of the block; yields the app's settings.

    Trains first if the model inputs changed. Without .venv-rasa, or when ``rasa_url`` already
    points at a Rasa run elsewhere, the app is served as configured.
    """
    project = project_for(settings)
    if settings.rasa_url or not project.available:
        if not project.available:
            notify("Rasa 환경(.venv-rasa)이 없어 검색만으로 답합니다 (no .venv-rasa: retrieval only)")
        yield settings
        return
    if not project.is_current():
        notify("Rasa 모델 학습 중… (training the Rasa model, about a minute)")
    model = project.train()
    server = RasaServer(
        project,
        model,
        action_url=f"http://{_loopback(settings.host)}:{settings.port}/webhook",
        tracker_db=settings.state_dir / "rasa" / "tracker.db",
        log_file=settings.state_dir / "rasa" / "server.log",
        endpoints=endpoints_file(settings),
    )
    server.start()
    app_url = f"http://{_loopback(settings.host)}:{settings.port}/healthz"
    tenant = next((t.id for t in TenantRegistry.load(settings.tenants_dir)), None)
    threading.Thread(target=_announce_ready, args=(server, app_url, tenant, notify), daemon=True).start()
    try:
        yield settings.model_copy(update={"rasa_url": server.url})
    finally:
        server.stop()


def _loopback(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host


def _announce_ready(
    server: RasaServer, app_url: str, tenant: str | None, notify: Callable[[str], None]
) -> None:
    """Say when both the app and Rasa answer, after one warm-up turn through both (the app serves
    from retrieval in the meantime)."""
    started = time.monotonic()
    if not server.wait_healthy(READY_TIMEOUT_SECONDS):
        notify(
            f"Rasa 서버가 응답하지 않습니다 — 검색만으로 답합니다 (Rasa not healthy; log: {server.log_file})"
        )
        return
    while time.monotonic() - started < READY_TIMEOUT_SECONDS:
        try:
            if httpx.get(app_url, timeout=2.0).status_code == 200:
                if tenant is not None:
                    server.warm_up_turn(tenant)
                notify(f"준비 완료: 앱 + Rasa ({time.monotonic() - started:.0f}초) — ready: app and Rasa")
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
