"""The Rasa server's ties to the app that started it: it dies with that app, and it can prove which
start of which app it is.

- **Dies with its parent.** ``faqbot serve`` starts Rasa in a session of its own (so Ctrl-C reaches
  only the app, which then stops Rasa in order); nothing else would stop Rasa when the app is
  SIGKILLed or OOM-killed. On Linux the kernel sends SIGTERM to this process when the thread that
  started it ends (``PR_SET_PDEATHSIG``); everywhere, a watcher thread checks ``os.getppid()`` once
  a second, as gunicorn's workers do, and stops the server when the parent is gone.
- **Says who it is.** ``GET /faqbot/instance`` answers the per-start nonce the app passed in
  ``FAQBOT_RASA_INSTANCE``, the pid and whether the model is loaded: the app counts Rasa as ready
  only when its own start answers, never a stale server from an earlier run on the same port.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
import threading
import time
from typing import Any

log = logging.getLogger(__name__)

PARENT_ENV = "FAQBOT_RASA_PARENT_PID"
INSTANCE_ENV = "FAQBOT_RASA_INSTANCE"
INSTANCE_PATH = "/faqbot/instance"
PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 1.0
# After SIGTERM, Sanic closes its connections and the tracker store; this long, then exit anyway.
EXIT_GRACE_SECONDS = 10.0


def ask_for_parent_death_signal() -> None:
    """Linux: the kernel sends SIGTERM to this process when its parent thread ends."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
        log.warning("prctl(PR_SET_PDEATHSIG) failed (errno %d); relying on the watcher", ctypes.get_errno())


def _stop_self(reason: str) -> None:
    log.warning("%s: stopping the Rasa server", reason)
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(EXIT_GRACE_SECONDS)
    os._exit(1)


def watch_parent(parent: int) -> None:
    """Stop this process once ``parent`` is no longer its parent (it died; we were re-parented)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_SECONDS)
        _stop_self(f"the app (pid {parent}) that started this Rasa server is gone")

    threading.Thread(target=watch, name="faqbot-parent-watch", daemon=True).start()


def die_with_parent() -> None:
    """Both guards. The expected parent comes from the app, so a parent that died between our fork
    and the prctl call (the kernel would not signal then) is noticed at once."""
    ask_for_parent_death_signal()
    expected = os.environ.get(PARENT_ENV)
    watch_parent(int(expected) if expected else os.getppid())


def answer_instance() -> None:
    """Rasa's HTTP app (``rasa.server.create_app``) also serves ``GET /faqbot/instance``."""
    import rasa.server
    from sanic import response
    from sanic.request import Request

    rasa_create_app = rasa.server.create_app
    nonce = os.environ.get(INSTANCE_ENV, "")

    def create_app(*args: Any, **kwargs: Any) -> Any:
        app = rasa_create_app(*args, **kwargs)

        @app.get(INSTANCE_PATH)
        async def instance(_request: Request) -> Any:
            agent = getattr(app.ctx, "agent", None)
            loaded = agent is not None and agent.is_ready()
            return response.json({"instance": nonce, "pid": os.getpid(), "model_loaded": loaded})

        return app

    rasa.server.create_app = create_app
