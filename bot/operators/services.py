"""The operator side of a running server: lifecycle, background publisher and live-version poller."""

from __future__ import annotations

import logging
import uuid

from bot.cluster.notify import IndexPublished, LocalNotifier, Notifier
from bot.operators.jobs import Publisher
from bot.operators.lifecycle import FaqLifecycle
from bot.operators.poller import LiveVersionPoller
from bot.operators.synonyms import SynonymEditor
from bot.runtime import Runtime

log = logging.getLogger(__name__)


class OperatorServices:
    """A publish here is announced through ``notifier`` so other replicas load it at once; the poller
    stays as the safety net (a notification lost while Redis restarts, a publish by the CLI)."""

    def __init__(self, runtime: Runtime, poll_interval: float, notifier: Notifier | None = None) -> None:
        self.runtime = runtime
        self.replica = uuid.uuid4().hex
        self.notifier = notifier or LocalNotifier()
        self.lifecycle = FaqLifecycle(runtime, on_live=self._announce)
        self.publisher = Publisher(self.lifecycle)
        self.synonyms = SynonymEditor(runtime, on_live=self._announce)
        self.poller = LiveVersionPoller(runtime, poll_interval)

    def start(self) -> None:
        self.poller.start()
        self.notifier.subscribe(self._heard)

    def stop(self) -> None:
        self.poller.stop()
        self.publisher.shutdown()
        self.notifier.close()

    def _announce(self, tenant: str, version: int) -> None:
        try:
            self.notifier.publish(IndexPublished(tenant, version, self.replica))
        except Exception as exc:
            log.warning("could not announce %s version %d (%s); replicas poll for it", tenant, version, exc)

    def _heard(self, event: IndexPublished) -> None:
        if event.publisher == self.replica:
            return
        # The database, not the message, says what is live (a later rollback may have overtaken it).
        changed = self.runtime.refresh()
        if changed:
            log.info("loaded FAQ versions published by another replica: %s", ", ".join(changed))
