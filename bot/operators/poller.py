"""Notices versions published by another process (the CLI, another server) and loads them.

Every few seconds the server compares each tenant's live version in the shared database with the
one it serves; a change is loaded (from the index the publisher built) and swapped in.
"""

from __future__ import annotations

import logging
import threading

from bot.runtime import Runtime

log = logging.getLogger(__name__)


class LiveVersionPoller:
    def __init__(self, runtime: Runtime, interval: float) -> None:
        self.runtime = runtime
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="live-version-poller", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 30)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                changed = self.runtime.refresh()
                if changed:
                    log.info("loaded newly published FAQ versions of %s", ", ".join(changed))
            except Exception:
                # A database hiccup must not kill the poller; the next round tries again.
                log.exception("checking live FAQ versions failed")
