"""Postgres and Redis restarted under a serving app (Postgres + Redis mode): every request is answered
quickly while they are down, and the app recovers by itself — no app restart."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.faults.app_process import AppProcess
from tests.reliability.conftest import postgres_url
from tests.reliability.test_notify import OwnRedis, own_redis

# Checked before any fixture: the session-scoped served state would otherwise be built first.
pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        "FAQBOT_TEST_POSTGRES_URL" not in os.environ, reason="run the tests under scripts/services.sh"
    ),
]
__all__ = ["own_redis", "postgres_url"]  # fixtures of tests/reliability, reused

TENANT = "namgang-lantern"
QUESTION = "화장실은 어디에 있나요?"
# Limits on (so every chat request goes through the Redis rate limiter) but far above this load.
NO_REAL_LIMITS = {
    f"FAQBOT_CHAT_LIMITS__{name}": "1000000"
    for name in ("SESSION_PER_MINUTE", "SESSION_BURST", "CLIENT_PER_MINUTE", "CLIENT_BURST")
}


def restart_postgres() -> None:
    """Restart the cluster of scripts/services.sh (same port and options, from postmaster.opts)."""
    directory, pg_bin = os.environ.get("FAQBOT_SERVICES_DIR"), os.environ.get("FAQBOT_SERVICES_PG_BIN")
    if not directory or not pg_bin:
        pytest.skip("not run under scripts/services.sh")
    command = [f"{pg_bin}/pg_ctl", "-D", f"{directory}/pg/data", "-m", "fast", "-w", "restart"]
    if os.getuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)


@pytest.fixture
def app(postgres_url: str, own_redis: OwnRedis, served_state: Path, tmp_path: Path) -> Iterator[AppProcess]:
    shutil.copytree(served_state / "data", tmp_path / "data")
    # The built indexes are files of the replica, not of the database: reused to start in seconds.
    shutil.copytree(served_state / "var" / "indexes", tmp_path / "var" / "indexes")
    own_redis.start()
    env = {"FAQBOT_DATABASE_URL": postgres_url, "FAQBOT_REDIS_URL": own_redis.url, **NO_REAL_LIMITS}
    env["FAQBOT_CHAT_LIMITS__ENABLED"] = "true"
    process = AppProcess(tmp_path / "data", tmp_path / "var", env)
    yield process
    process.stop()


class Load:
    """Two clients asking in a loop; every request's status and duration is kept."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.results: list[tuple[int | str, float]] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run) for _ in range(2)]

    def _run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=30) as http:
            while not self._stop.is_set():
                started = time.monotonic()
                try:
                    body = {"tenant": TENANT, "session_id": None, "message": QUESTION}
                    status: int | str = http.post("/api/v1/chat", json=body).status_code
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                self.results.append((status, time.monotonic() - started))

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(60)


def turns_recorded(postgres_url: str) -> int:
    engine = create_engine(postgres_url)
    with engine.connect() as conn:
        count = int(conn.execute(text("SELECT count(*) FROM turns")).scalar_one())
    engine.dispose()
    return count


def test_postgres_and_redis_restarts_while_serving(
    app: AppProcess, own_redis: OwnRedis, postgres_url: str
) -> None:
    app.start()
    pid = app.process.pid if app.process else None
    with Load(app.url) as load:
        time.sleep(2)
        restart_postgres()
        time.sleep(2)
        own_redis.stop()
        time.sleep(3)
        own_redis.start()
        time.sleep(2)

    # Nothing lost or hung: every request during the restarts was answered, and quickly.
    assert len(load.results) > 20
    assert {status for status, _ in load.results} == {200}, load.results
    assert max(duration for _, duration in load.results) < 5, sorted(d for _, d in load.results)[-5:]

    # Recovered without a restart: the same process records turns and reads versions again.
    assert app.process is not None and app.process.pid == pid and app.process.poll() is None
    before = turns_recorded(postgres_url)
    for _ in range(3):
        assert app.chat(TENANT, QUESTION)["decision"] == "answer"
    assert turns_recorded(postgres_url) == before + 3
    assert app.admin("GET", f"/{TENANT}/faq/versions").status_code == 200
