"""Prometheus metrics of one app process, in a registry of its own (tests build many apps).

Other parts of the gateway call the small verb set below through ``app.state.metrics``:
``decision``, ``rasa_degraded``, ``publish_timer``/``published``. Tenant labels are only ever
known tenant ids: a hostile client must not be able to mint new time series.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.observability.context import tag_tenant

UNKNOWN = "unknown"
NONE = "-"
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0)
_PUBLISH_BUCKETS = (0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300)


@dataclass(frozen=True)
class LiveIndex:
    tenant: str
    version: int | None  # the store's FAQ version number; None for an index swapped in by hand
    faq_hash: str
    entries: int


class IndexVersions(Collector):
    """Reads each tenant's live index at scrape time, so nobody has to report it."""

    def __init__(self, live: Callable[[], Iterable[LiveIndex]]) -> None:
        self._live = live

    def collect(self) -> Iterator[Metric]:
        number = GaugeMetricFamily(
            "faqbot_index_version",
            "FAQ version number each tenant serves (compare across replicas)",
            labels=["tenant"],
        )
        info = GaugeMetricFamily(
            "faqbot_index_version_info",
            "Content hash of each tenant's live index (value is always 1)",
            labels=["tenant", "version", "faq_hash"],
        )
        size = GaugeMetricFamily("faqbot_index_entries", "FAQ entries in the live index", labels=["tenant"])
        for live in self._live():
            version = NONE if live.version is None else str(live.version)
            if live.version is not None:
                number.add_metric([live.tenant], live.version)
            info.add_metric([live.tenant, version, live.faq_hash[:12]], 1)
            size.add_metric([live.tenant], live.entries)
        yield number
        yield info
        yield size


class CacheStats(Collector):
    """Hits, misses and size of the search-result cache, read at scrape time."""

    def __init__(self, stats: Callable[[], tuple[int, int, int]]) -> None:
        self._stats = stats

    def collect(self) -> Iterator[Metric]:
        hits, misses, size = self._stats()
        lookups = CounterMetricFamily(
            "faqbot_search_cache_lookups", "Search-result cache lookups by result", labels=["result"]
        )
        lookups.add_metric(["hit"], hits)
        lookups.add_metric(["miss"], misses)
        yield lookups
        yield GaugeMetricFamily("faqbot_search_cache_entries", "Search results cached", value=size)


class Metrics:
    """The process's metrics. ``known_tenant`` decides which tenant ids may become label values."""

    def __init__(self, known_tenant: Callable[[str], bool]) -> None:
        self.registry = CollectorRegistry()
        self._known = known_tenant
        self.requests = Counter(
            "faqbot_http_requests",
            "HTTP requests by route template, method, status and tenant",
            ["endpoint", "method", "status", "tenant"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "faqbot_http_request_duration_seconds",
            "HTTP request latency by route template and tenant",
            ["endpoint", "method", "tenant"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.decisions = Counter(
            "faqbot_decisions",
            "Chat turns by decision (answer, suggest, fallback, dialogue)",
            ["tenant", "decision"],
            registry=self.registry,
        )
        self.rasa_degradations = Counter(
            "faqbot_rasa_degradations",
            "Turns answered without Rasa because it failed, by reason",
            ["tenant", "reason"],
            registry=self.registry,
        )
        self.publish_seconds = Histogram(
            "faqbot_publish_duration_seconds",
            "Time from publish request to the new index going live",
            ["tenant", "outcome"],
            buckets=_PUBLISH_BUCKETS,
            registry=self.registry,
        )

    def tenant_label(self, tenant_id: str | None) -> str:
        if tenant_id is None:
            return NONE
        return tenant_id if self._known(tenant_id) else UNKNOWN

    def observe_request(
        self, endpoint: str, method: str, status: int, tenant: str | None, seconds: float
    ) -> None:
        label = self.tenant_label(tenant)
        self.requests.labels(endpoint, method, str(status), label).inc()
        self.latency.labels(endpoint, method, label).observe(seconds)

    def decision(self, tenant_id: str, decision: str) -> None:
        """Count one chat turn's decision; also labels the current request with the tenant."""
        tag_tenant(tenant_id)
        self.decisions.labels(self.tenant_label(tenant_id), decision).inc()

    def rasa_degraded(self, tenant_id: str, reason: str) -> None:
        """Count a turn that fell back to direct retrieval; ``reason`` is a short fixed word
        (``timeout``, ``unreachable``, ``error``, ``empty``, ``down``: our Rasa not running or not
        ready), never an exception message."""
        self.rasa_degradations.labels(self.tenant_label(tenant_id), reason).inc()

    def published(self, tenant_id: str, seconds: float, outcome: str = "ok") -> None:
        self.publish_seconds.labels(self.tenant_label(tenant_id), outcome).observe(seconds)

    @contextmanager
    def publish_timer(self, tenant_id: str) -> Iterator[None]:
        """Time a publish; an exception is recorded as outcome ``failed`` and re-raised."""
        start = time.perf_counter()
        try:
            yield
        except BaseException:
            self.published(tenant_id, time.perf_counter() - start, "failed")
            raise
        self.published(tenant_id, time.perf_counter() - start)

    def watch_index_versions(self, live: Callable[[], Iterable[LiveIndex]]) -> None:
        self.registry.register(IndexVersions(live))

    def watch_cache(self, stats: Callable[[], tuple[int, int, int]]) -> None:
        self.registry.register(CacheStats(stats))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
