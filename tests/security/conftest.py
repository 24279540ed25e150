"""One real server for the security tests: uvicorn on loopback, real runtime, demo indexes loaded once."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from security_support import ADMIN_TOKEN

from bot.app import create_app
from bot.runtime import Runtime
from bot.settings import ChatLimits, Settings
from retrieval import Encoder


@pytest.fixture(scope="session")
def hostile_settings(demo_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("security")
    shutil.copytree(demo_data, root / "data")
    # Rate limits off: these tests send many requests from one address on purpose; the limits
    # themselves are tested with an app of their own.
    return Settings(
        data_dir=root / "data",
        state_dir=root / "var",
        admin_token=ADMIN_TOKEN,
        chat_limits=ChatLimits(enabled=False),
        auth_failure_limit=1000,
    )


@pytest.fixture(scope="session")
def live_url(hostile_settings: Settings, encoder: Encoder) -> Iterator[str]:
    """Base URL of the app served by uvicorn in a thread on a free loopback port."""
    app = create_app(hostile_settings, Runtime(hostile_settings, encoder=encoder))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, lifespan="on", timeout_graceful_shutdown=2))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    sock.close()


@pytest.fixture
def http(live_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_url, timeout=30) as client:
        yield client
