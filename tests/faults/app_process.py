"""`faqbot serve` as a real child process on a free loopback port, so a test can SIGKILL it."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import ROOT, SHARED
from tests.dialogue.stack import free_port

ADMIN_TOKEN = "faults-admin-token-0123456789abcdef"
FAQBOT = ROOT / ".venv" / "bin" / "faqbot"


class AppProcess:
    """One app process over ``data_dir`` and ``state_dir``; restartable on the same directories.

    Each start appends the process's output to ``state_dir/../app-<n>.log`` (one file a run), so a
    test can read what one particular start logged. With ``rasa``, `serve` starts its own Rasa
    server as in production (the model must be in ``state_dir/rasa/models``, or it trains one).
    """

    def __init__(
        self, data_dir: Path, state_dir: Path, extra_env: dict[str, str] | None = None, rasa: bool = False
    ) -> None:
        self.data_dir = data_dir
        self.extra_env = extra_env or {}
        self.rasa = rasa
        self.state_dir = state_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.runs = 0
        self.http = httpx.Client(base_url=self.url, timeout=30)

    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "FAQBOT_DATA_DIR": str(self.data_dir),
            "FAQBOT_STATE_DIR": str(self.state_dir),
            "FAQBOT_DEMO_SOURCE": str(SHARED / "faq"),
            # Process-level behaviour, not ranking: USE builds a fresh demo index in seconds, where a
            # fresh process would spend ~20 s of e5 per test (e5 is covered in-process).
            "FAQBOT_RETRIEVAL__ENCODER__BACKEND": "use-multilingual",
            "FAQBOT_ADMIN_TOKEN": ADMIN_TOKEN,
            "FAQBOT_CHAT_LIMITS__ENABLED": "false",
            "FAQBOT_LIVE_POLL_INTERVAL": "0.5",
            # A Rasa URL where nothing listens: `serve` then neither trains nor starts Rasa, and
            # every turn is answered by direct retrieval (connection refused is immediate).
            "FAQBOT_RASA_URL": f"http://127.0.0.1:{free_port()}",
            "RASA_TELEMETRY_ENABLED": "false",
            **self.extra_env,
        }
        if self.rasa:
            del env["FAQBOT_RASA_URL"]
        return env

    @property
    def log_file(self) -> Path:
        return self.state_dir.parent / f"app-{self.runs}.log"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def launch(self) -> None:
        """Start `faqbot serve` without waiting for it."""
        self.runs += 1
        with self.log_file.open("wb") as out:
            self.process = subprocess.Popen(
                [str(FAQBOT), "serve", "--port", str(self.port)],
                cwd=ROOT,
                env=self.env(),
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def start(self, ready_timeout: float = 120) -> None:
        """Start and wait until every tenant's index is loaded (GET /readyz is 200)."""
        self.launch()
        assert self.process is not None
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the app exited with {self.process.returncode}:\n{self.log()[-3000:]}")
            try:
                if self.http.get("/readyz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"the app was not ready in {ready_timeout} s:\n{self.log()[-3000:]}")

    def rasa_ready(self) -> bool | None:
        """/readyz's ``rasa`` field (None: no answer)."""
        try:
            return bool(self.http.get("/readyz").json()["rasa"])
        except (httpx.TransportError, ValueError):
            return None

    def wait_rasa(self, ready: bool, timeout: float) -> float:
        """Seconds until /readyz's ``rasa`` is ``ready``; fails after ``timeout``."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            assert self.process is not None and self.process.poll() is None, self.log()[-3000:]
            if self.rasa_ready() is ready:
                return time.monotonic() - started
            time.sleep(0.2)
        raise AssertionError(f"/readyz rasa was not {ready} in {timeout} s:\n{self.log()[-3000:]}")

    def log(self) -> str:
        return self.log_file.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler, no flush, no cleanup runs."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.http.close()

    def chat(self, tenant: str, message: str) -> dict[str, Any]:
        body = {"tenant": tenant, "session_id": None, "message": message}
        response = self.http.post("/api/v1/chat", json=body)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def admin(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        return self.http.request(method, f"/api/v1/admin/tenants{path}", headers=headers, **kwargs)
