"""The real app on loopback ports (uvicorn in threads) and headless Debian Chromium via playwright."""

from __future__ import annotations

import contextlib
import http.server
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
import yaml
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, sync_playwright

from bot.app import create_app
from bot.runtime import Runtime
from tests.chat.conftest import app_runtime

__all__ = ["app_runtime"]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
HOST_PAGE = """<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>머드축제 누리집</title>
<style>* {{ color: red !important; font-size: 40px !important; }}
button {{ display: none !important; }}</style>
</head><body><h1>머드축제 누리집</h1>
<script src="{server}/widget.js" data-tenant="seohae-mudfest"></script></body></html>"""


def free_socket() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock


@contextlib.contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    sock = free_socket()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


class HostSite:
    """Another loopback origin serving one page, like a tenant's own site that embeds the widget."""

    def __init__(self) -> None:
        self.html = ""
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = site.html.encode()
                self.send_response(200)
                self.send_header("content-type", "text/html; charset=utf-8")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                return None

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> HostSite:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def server_url(app_runtime: Runtime) -> Iterator[str]:
    with serving(create_app(app_runtime.settings, app_runtime)) as url:
        yield url


@pytest.fixture(scope="module")
def embedding_sites(
    app_runtime: Runtime, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """(listed, unlisted): two sites embedding the mudfest widget; only the first is in its origins.

    The app runs over a data copy whose tenant.yml lists the first site (indexes are reused).
    """
    data = tmp_path_factory.mktemp("cors") / "data"
    shutil.copytree(app_runtime.settings.data_dir, data)
    with HostSite() as listed, HostSite() as unlisted:
        tenant_yml = data / "tenants" / "seohae-mudfest" / "tenant.yml"
        raw = yaml.safe_load(tenant_yml.read_text(encoding="utf-8"))
        raw["origins"] = [*raw["origins"], listed.url]
        tenant_yml.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        settings = app_runtime.settings.model_copy(update={"data_dir": data})
        runtime = Runtime(settings, encoder=app_runtime.encoder)
        with serving(create_app(settings, runtime)) as app_url:
            listed.html = unlisted.html = HOST_PAGE.format(server=app_url)
            yield listed.url, unlisted.url


# Module scope: playwright's sync API keeps an event loop running in this thread while it is
# open, and later modules' asyncio.run() calls would fail under it.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Debian chromium is missing: scripts/system_packages.sh should have installed it")
        pytest.skip("Debian chromium is not installed (scripts/system_packages.sh)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ko-KR")
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
