"""Rasa beside ``faqbot serve``: a port of its own, ready only while this start of it answers,
restarted with a backoff when it dies, and never outliving the app.

- **Port.** A free loopback port for each serve (``FAQBOT_RASA_PORT`` pins one); a pinned port
  that something already holds (a Rasa left by an older faqbot, another deployment) is named in one
  log line and left alone, and this serve's Rasa takes a free port instead.
- **Readiness.** Ready means the server we started answers ``/faqbot/instance`` with its own
  per-start nonce and a loaded model, and has been warmed up; a probe a second keeps that true.
  While not ready, chat turns skip Rasa and are answered from retrieval (counted as ``down``).
- **Lifetime.** The app stops Rasa on every exit it gets to run code for (SIGTERM included, also
  during start-up); for the others (SIGKILL, OOM) Rasa stops itself (rasa_server/lifecycle.py).
  Linux sends that parent-death signal when the *thread* that started Rasa ends, so restarts are
  made by the supervisor thread, which lives as long as the sidecar.
"""

from __future__ import annotations

import logging
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

import httpx

from bot.dialogue.endpoints import endpoints_file
from bot.dialogue.processes import RASA_HOST, RasaServer, instance_at, project_for
from bot.settings import Settings
from bot.tenancy import TenantRegistry

log = logging.getLogger(__name__)

PROBE_SECONDS = 1.0
# Missed probes in a row before a running server counts as down (one can miss under a burst).
MISSED_PROBES_DOWN = 3
BACKOFF_FIRST_SECONDS = 1.0
BACKOFF_MAX_SECONDS = 60.0
# A server that ran this long was healthy: the next restart starts the backoff over.
STABLE_SECONDS = 120.0
# A start that has not answered by then is stopped and started again.
READY_TIMEOUT_SECONDS = 240.0
STOP_JOIN_SECONDS = 5.0

Notify = Callable[[str], None]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((RASA_HOST, 0))
        return int(s.getsockname()[1])


def port_taken(port: int) -> bool:
    """Something listens on ``port`` (SO_REUSEADDR: connections lingering in TIME_WAIT do not count)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((RASA_HOST, port))
        except OSError:
            return True
    return False


def holder_of(port: int) -> tuple[str, str]:
    """(what holds ``port``, what the operator should do about it)."""
    found = instance_at(port)
    if found is not None:
        return (
            f"a Rasa server that another faqbot serve started (pid {found.pid})",
            f"stop it (kill {found.pid})",
        )
    return "another process", f"find it with `ss -ltnp 'sport = :{port}'` and stop it"


def choose_port(pinned: int | None) -> int:
    """The port this serve's Rasa listens on: ``pinned`` unless it is taken, else a free one."""
    if pinned is None:
        return free_port()
    if not port_taken(pinned):
        return pinned
    port = free_port()
    holder, action = holder_of(pinned)
    log.warning(
        "Rasa port %d (FAQBOT_RASA_PORT) is held by %s, which this serve will never use: %s, or unset "
        "FAQBOT_RASA_PORT; meanwhile this serve's own Rasa listens on port %d",
        pinned,
        holder,
        action,
        port,
    )
    return port


class RasaSidecar:
    """The Rasa server this app started, kept running for it (the app's ``OwnRasa``)."""

    def __init__(self, server: RasaServer, app_url: str, tenant: str | None, notify: Notify) -> None:
        self.server = server
        self.app_url = app_url
        self.tenant = tenant  # the warm-up turn's tenant
        self.notify = notify
        self._ready = False
        self._foreign_logged = False
        self._stopping = threading.Event()
        self._lock = threading.Lock()  # one of start, restart or stop at a time
        self._thread = threading.Thread(target=self._supervise, name="faqbot-rasa-sidecar", daemon=True)

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def instance(self) -> str:
        """The nonce the current start answers with."""
        return self.server.instance

    def ready(self) -> bool:
        return self._ready

    def start(self) -> None:
        with self._lock:
            self.server.start()
        self._thread.start()

    def stop(self) -> None:
        """Stop supervising, then the server (SIGTERM, SIGKILL after the server's grace)."""
        self._stopping.set()
        self._ready = False
        if self._thread.is_alive():
            self._thread.join(STOP_JOIN_SECONDS)
        with self._lock:
            self.server.stop()

    def _supervise(self) -> None:
        delay = BACKOFF_FIRST_SECONDS
        while not self._stopping.is_set():
            started = time.monotonic()
            self._watch(started)
            self._ready = False
            if self._stopping.is_set():
                return
            if time.monotonic() - started >= STABLE_SECONDS:
                delay = BACKOFF_FIRST_SECONDS
            process = self.server.process
            code = process.returncode if process is not None else None
            log.error(
                "Rasa server (pid %s) exited with code %s: chat turns are answered from retrieval; "
                "restarting it in %.0f s (log: %s)",
                self.server.pid,
                code,
                delay,
                self.server.log_file,
            )
            self.notify(
                f"Rasa 서버가 멈췄습니다 — {delay:.0f}초 뒤 다시 시작합니다 (Rasa exited; restarting)"
            )
            if self._stopping.wait(delay):
                return
            delay = min(delay * 2, BACKOFF_MAX_SECONDS)
            with self._lock:
                if self._stopping.is_set():
                    return
                self.server.start()

    def _watch(self, started: float) -> None:
        """Probe the running server until it exits (or is stopped for never answering)."""
        missed = 0
        warmed = False
        while not self._stopping.wait(PROBE_SECONDS):
            if not self.server.running():
                return
            found = instance_at(self.server.port)
            if found is not None and self.server.is_ours(found) and found.model_loaded:
                missed = 0
                if not warmed:
                    warmed = self._warm_up(started)
                self._ready = warmed
                continue
            if found is not None and not self.server.is_ours(found):
                self._log_foreign(found.pid)
            missed += 1
            if self._ready and missed >= MISSED_PROBES_DOWN:
                self._ready = False
                log.error(
                    "Rasa server (pid %s) stopped answering: chat turns are answered from retrieval",
                    self.server.pid,
                )
            if not warmed and time.monotonic() - started > READY_TIMEOUT_SECONDS:
                log.error(
                    "Rasa server (pid %s) did not answer in %.0f s; stopping it",
                    self.server.pid,
                    READY_TIMEOUT_SECONDS,
                )
                with self._lock:
                    self.server.stop()
                return

    def _warm_up(self, started: float) -> bool:
        """Warm Rasa up (its NLU, then one whole turn once the app answers); True when done."""
        self.server.warm_up()
        while not self._app_answers():
            if self._stopping.wait(0.5):
                return False
        if self.tenant is not None:
            self.server.warm_up_turn(self.tenant)
        seconds = time.monotonic() - started
        log.info("Rasa server (pid %s) ready on %s in %.0f s", self.server.pid, self.server.url, seconds)
        self.notify(f"준비 완료: 앱 + Rasa ({seconds:.0f}초) — ready: app and Rasa")
        return True

    def _app_answers(self) -> bool:
        try:
            return httpx.get(f"{self.app_url}/healthz", timeout=2.0).status_code == 200
        except httpx.HTTPError:
            return False

    def _log_foreign(self, pid: int) -> None:
        if self._foreign_logged:
            return
        self._foreign_logged = True
        log.error(
            "a Rasa server this serve did not start (pid %d) answers on port %d and is never used: "
            "stop it (kill %d); this serve keeps restarting its own",
            pid,
            self.server.port,
            pid,
        )


@contextmanager
def sigterm_as_exit() -> Iterator[None]:
    """SIGTERM raises SystemExit, so ``finally`` blocks (stopping Rasa) run; uvicorn, which handles
    SIGTERM itself while it serves, raises the signal again on its way out."""

    def exit_on_sigterm(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, exit_on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def rasa_alongside(settings: Settings, notify: Notify) -> Iterator[tuple[Settings, RasaSidecar | None]]:
    """Run a Rasa server next to the app for the duration of the block; yields the app's settings
    and the sidecar (for ``create_app``'s ``own_rasa``).

    Trains first if the model inputs changed. Without .venv-rasa, or when ``rasa_url`` already
    points at a Rasa run elsewhere, the app is served as configured (and the sidecar is None).
    """
    project = project_for(settings)
    if settings.rasa_url or not project.available:
        if not project.available:
            notify("Rasa 환경(.venv-rasa)이 없어 검색만으로 답합니다 (no .venv-rasa: retrieval only)")
        yield settings, None
        return
    with sigterm_as_exit():
        if not project.is_current():
            notify("Rasa 모델 학습 중… (training the Rasa model, about a minute)")
        model = project.train()
        app_url = f"http://{_loopback(settings.host)}:{settings.port}"
        server = RasaServer(
            project,
            model,
            action_url=f"{app_url}/webhook",
            tracker_db=settings.state_dir / "rasa" / "tracker.db",
            port=choose_port(settings.rasa_port),
            log_file=settings.state_dir / "rasa" / "server.log",
            endpoints=endpoints_file(settings),
        )
        tenant = next((t.id for t in TenantRegistry.load(settings.tenants_dir)), None)
        sidecar = RasaSidecar(server, app_url, tenant, notify)
        try:
            sidecar.start()
            yield settings.model_copy(update={"rasa_url": server.url}), sidecar
        finally:
            sidecar.stop()


def _loopback(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
