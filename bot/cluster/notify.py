"""'A tenant's index version was published' notifications, so every replica loads it at once.

``LocalNotifier`` (default, one process) calls subscribers directly. ``RedisNotifier`` uses Redis
pub/sub across processes; pub/sub delivers only to connected listeners, so a replica must still
poll the shared store now and then (after a Redis restart it may have missed a message) — the
notification makes the common case immediate, the poll makes it certain.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Protocol

log = logging.getLogger(__name__)

CHANNEL = "faqbot:index-published"


@dataclass(frozen=True)
class IndexPublished:
    tenant: str
    version: int
    publisher: str = ""  # which replica published (so it can skip its own message)


Subscriber = Callable[[IndexPublished], None]


class Notifier(Protocol):
    def publish(self, event: IndexPublished) -> None: ...

    def subscribe(self, callback: Subscriber) -> None: ...

    def close(self) -> None: ...


def _deliver(subscribers: list[Subscriber], event: IndexPublished) -> None:
    for callback in subscribers:
        try:
            callback(event)
        except Exception:
            # One failing subscriber must not stop the others or the listener.
            log.exception("index-published subscriber failed for %s", event.tenant)


class LocalNotifier:
    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []

    def publish(self, event: IndexPublished) -> None:
        _deliver(self._subscribers, event)

    def subscribe(self, callback: Subscriber) -> None:
        self._subscribers.append(callback)

    def close(self) -> None:
        self._subscribers.clear()


class RedisNotifier:
    """Publishes on a Redis channel; one daemon thread per process listens and reconnects forever."""

    def __init__(self, url: str, channel: str = CHANNEL, retry_seconds: float = 1.0) -> None:
        import redis

        self._redis = redis
        self._client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
        self.channel = channel
        self.retry_seconds = retry_seconds
        self._subscribers: list[Subscriber] = []
        self._closed = threading.Event()
        self._listening = threading.Event()
        self._thread: threading.Thread | None = None

    def publish(self, event: IndexPublished) -> None:
        """Raises redis.ConnectionError when Redis is down: the caller logs it; polling catches up."""
        self._client.publish(self.channel, json.dumps(asdict(event)))

    def subscribe(self, callback: Subscriber) -> None:
        self._subscribers.append(callback)
        if self._thread is None:
            self._thread = threading.Thread(target=self._listen, name="index-published", daemon=True)
            self._thread.start()

    def wait_listening(self, timeout: float) -> bool:
        """True once the listener is subscribed (tests and startup use it to avoid a lost first message)."""
        return self._listening.wait(timeout)

    def close(self) -> None:
        self._closed.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._client.close()

    def _listen(self) -> None:
        while not self._closed.is_set():
            pubsub = self._client.pubsub(ignore_subscribe_messages=True)
            try:
                pubsub.subscribe(self.channel)
                self._listening.set()
                while not self._closed.is_set():
                    message = pubsub.get_message(timeout=0.5)
                    if message is not None:
                        self._handle(message["data"])
            except self._redis.RedisError as exc:
                self._listening.clear()
                log.warning("index-published listener lost Redis (%s); retrying", type(exc).__name__)
                self._closed.wait(self.retry_seconds)
            finally:
                pubsub.close()

    def _handle(self, data: bytes) -> None:
        try:
            event = IndexPublished(**json.loads(data))
        except (ValueError, TypeError):
            log.warning("ignored a malformed index-published message")
            return
        _deliver(self._subscribers, event)


def make_notifier(redis_url: str | None) -> Notifier:
    """Redis pub/sub when the deployment has Redis, else in-process delivery."""
    return RedisNotifier(redis_url) if redis_url else LocalNotifier()
