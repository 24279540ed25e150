"""`faqbot serve` and its Rasa server as real processes: Rasa never outlives the app (SIGTERM during
start-up, SIGTERM once ready, SIGKILL once ready), two serves on one host each run their own Rasa,
a Rasa already on the pinned port is never used, and a Rasa killed under a running app is noticed
in seconds and restarted.

Every Rasa start costs ~15 s and ~1.1 GB, so one pair of serves is shared by the module: A on a free
port, then B pinned (FAQBOT_RASA_PORT) to the port A's Rasa already holds, which B must see as a
Rasa that is not its own: exactly what a Rasa left behind by an earlier serve looks like to it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.dialogue.stack import rasa_actions
from tests.faults import rasa_processes
from tests.faults.app_process import AppProcess

pytestmark = [pytest.mark.rasa, pytest.mark.timeout(900)]

TENANT = "seohae-mudfest"
# Loading the model takes ~15 s idle; minutes while the machine is busy.
RASA_READY_SECONDS = 300
# SIGTERM, Sanic's shutdown, then the app's 10 s grace before SIGKILL.
GONE_SECONDS = 20
DOWN_SECONDS = 20
DEGRADED = re.compile(r'^faqbot_rasa_degradations_total\{reason="(\w+)",tenant="[^"]+"\} (\S+)$', re.M)


def serve_with_rasa(served_state: Path, rasa_model: Path, root: Path, **env: str) -> AppProcess:
    """A not yet started serve over a private copy of the served state, with the trained model."""
    for part in ("data", "var"):
        shutil.copytree(served_state / part, root / part)
    models = root / "var" / "rasa" / "models"
    models.mkdir(parents=True, exist_ok=True)
    shutil.copy2(rasa_model, models / rasa_model.name)
    return AppProcess(root / "data", root / "var", extra_env=env, rasa=True)


def degraded_turns(app: AppProcess) -> dict[str, float]:
    counts: dict[str, float] = {}
    for reason, value in DEGRADED.findall(app.http.get("/metrics").text):
        counts[reason] = counts.get(reason, 0.0) + float(value)
    return counts


def own_rasa(app: AppProcess) -> int:
    (pid,) = rasa_processes.rasa_servers_of(app.pid)
    return pid


def greet(app: AppProcess) -> str:
    """One turn; returns its session id."""
    return str(app.chat(TENANT, "안녕하세요")["session_id"])


def test_sigterm_during_start_up_stops_the_rasa_already_started(
    served_state: Path, rasa_model: Path, tmp_path: Path
) -> None:
    app = serve_with_rasa(served_state, rasa_model, tmp_path)
    try:
        app.launch()
        (rasa,) = rasa_processes.wait_for(lambda: rasa_processes.rasa_servers_of(app.pid), 120)
        assert app.rasa_ready() is not True  # still starting
        os.kill(app.pid, signal.SIGTERM)
        assert app.process is not None and app.process.wait(60) != 0
        rasa_processes.wait_gone([rasa], GONE_SECONDS)
    finally:
        app.stop()


@dataclass
class Pair:
    a: AppProcess
    b: AppProcess
    a_rasa: int
    b_rasa: int


@pytest.fixture(scope="module")
def pair(served_state: Path, rasa_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    a = serve_with_rasa(served_state, rasa_model, tmp_path_factory.mktemp("serve-a"))
    b: AppProcess | None = None
    started: list[int] = []
    try:
        a.start()
        a.wait_rasa(True, RASA_READY_SECONDS)
        a_rasa = own_rasa(a)
        started.append(a_rasa)
        pinned = str(rasa_processes.port_of(a_rasa))
        b = serve_with_rasa(
            served_state, rasa_model, tmp_path_factory.mktemp("serve-b"), FAQBOT_RASA_PORT=pinned
        )
        b.start()
        b.wait_rasa(True, RASA_READY_SECONDS)
        started.append(own_rasa(b))
        yield Pair(a, b, a_rasa, started[-1])
    finally:
        for app in (a, b):
            if app is not None:
                started += rasa_processes.rasa_servers_of(app.pid) if app.process else []
                app.stop()
        rasa_processes.wait_gone(started, GONE_SECONDS)


def test_two_serves_each_use_their_own_rasa_and_leave_the_one_on_the_pinned_port_alone(pair: Pair) -> None:
    a_port, b_port = rasa_processes.port_of(pair.a_rasa), rasa_processes.port_of(pair.b_rasa)
    assert pair.a_rasa != pair.b_rasa and a_port != b_port
    # B was pinned to A's port: it said so once, in one line naming the process and what to do.
    held = [
        line for line in pair.b.log().splitlines() if f"Rasa port {a_port} (FAQBOT_RASA_PORT) is held" in line
    ]
    assert len(held) == 1, pair.b.log()[-3000:]
    assert f"another faqbot serve started (pid {pair.a_rasa})" in held[0] and f"kill {pair.a_rasa}" in held[0]
    assert f"own Rasa listens on port {b_port}" in held[0]

    sessions = {app: greet(app) for app in (pair.a, pair.b)}
    for app, rasa, other in ((pair.a, a_port, b_port), (pair.b, b_port, a_port)):
        session = sessions[app]
        # The turn went through this serve's own Rasa, and only through it.
        assert rasa_actions(app.http, f"http://127.0.0.1:{rasa}", TENANT, session) == ["action_greet"]
        assert rasa_actions(app.http, f"http://127.0.0.1:{other}", TENANT, session) == []
        assert degraded_turns(app) == {}


def test_rasa_killed_under_a_running_app_is_noticed_and_restarted(pair: Pair) -> None:
    app, killed = pair.b, pair.b_rasa
    port = rasa_processes.port_of(killed)
    assert "exited with code" not in app.log()
    os.kill(killed, signal.SIGKILL)
    assert app.wait_rasa(False, DOWN_SECONDS) < DOWN_SECONDS

    # Every turn is still answered (from retrieval), counted, and the log said why.
    app.chat(TENANT, "주차장 어디예요?")
    assert sum(degraded_turns(app).values()) >= 1
    rasa_processes.wait_for(
        lambda: f"Rasa server (pid {killed}) exited with code -9" in app.log(), DOWN_SECONDS
    )

    app.wait_rasa(True, RASA_READY_SECONDS)
    restarted = own_rasa(app)
    assert restarted != killed and not rasa_processes.alive(killed)
    assert rasa_processes.port_of(restarted) == port
    session = greet(app)
    assert rasa_actions(app.http, f"http://127.0.0.1:{port}", TENANT, session) == ["action_greet"]
    pair.b_rasa = restarted


def test_sigkill_of_a_ready_app_takes_its_rasa_along(pair: Pair) -> None:
    pair.a.kill()
    rasa_processes.wait_gone([pair.a_rasa], GONE_SECONDS)
    assert pair.b.rasa_ready() is True  # the other serve's Rasa is untouched


def test_sigterm_of_a_ready_app_stops_its_rasa(pair: Pair) -> None:
    os.kill(pair.b.pid, signal.SIGTERM)
    assert pair.b.process is not None
    pair.b.process.wait(60)
    rasa_processes.wait_gone([pair.b_rasa], GONE_SECONDS)
