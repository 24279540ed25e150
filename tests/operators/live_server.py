"""The real gateway on a free loopback port (uvicorn in a thread), for tests and console tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from pydantic import SecretStr

from bot.app import create_app
from bot.runtime import Runtime
from bot.settings import Settings
from retrieval import Encoder


class LiveServer:
    def __init__(self, settings: Settings, runtime: Runtime) -> None:
        self.app = create_app(settings, runtime)
        self.runtime = runtime
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        config = uvicorn.Config(self.app, log_level="warning", lifespan="on")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def start(self, timeout: float = 120) -> None:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)
        self._socket.close()

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


@contextmanager
def running(settings: Settings, runtime: Runtime) -> Iterator[LiveServer]:
    server = LiveServer(settings, runtime)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def server_settings(base: Settings, admin_token: str) -> Settings:
    """Test settings: a known admin token, fast polling, no chat rate limits (the loop is a client)."""
    return base.model_copy(
        update={
            "admin_token": SecretStr(admin_token),
            "live_poll_interval": 0.5,
            "chat_limits": base.chat_limits.model_copy(update={"enabled": False}),
        }
    )


ADMIN_TOKEN = "test-admin-token-0123456789"


def serve_demo(
    demo_data: Path, tmp_path_factory: pytest.TempPathFactory, encoder: Encoder
) -> Iterator[LiveServer]:
    """A running server over a private copy of the demo tenants (for a module-scoped fixture)."""
    root = tmp_path_factory.mktemp("server")
    shutil.copytree(demo_data, root / "data")
    settings = server_settings(Settings(data_dir=root / "data", state_dir=root / "var"), ADMIN_TOKEN)
    with running(settings, Runtime(settings, encoder=encoder)) as live:
        yield live


def run_cli(server: LiveServer, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """``faqbot ARGS`` as another process over the server's data and state directories."""
    settings = server.runtime.settings
    env = {
        **os.environ,
        "FAQBOT_DATA_DIR": str(settings.data_dir),
        "FAQBOT_STATE_DIR": str(settings.state_dir),
    }
    return subprocess.run(
        [str(Path(sys.executable).parent / "faqbot"), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        timeout=300,
    )
