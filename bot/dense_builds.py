"""Background completion of indexes served with their lexical signals alone.

A new FAQ set goes live on its BM25 views within seconds; its dense vectors (e5: ~90 ms a FAQ on
two cores, ~15 minutes for 10,000) are built here, one tenant at a time, and the completed index is
swapped in. The worker thread runs at a low priority (nice 10 under SCHED_BATCH, inherited by the
encoder's OpenMP threads it starts), so chat turns come first. Vectors go through the text cache as
they are made: a restart, an edit or a rollback encodes only what was never encoded.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

from retrieval import FaqIndex

log = logging.getLogger(__name__)

# nice 10 weighs ~1/10 of a chat thread (CFS weights 110 : 1024): chat turns come first, yet the
# vectors still get built on a machine that is never idle (nice 19 starved them there).
NICE = 10

# Builds ``index``'s dense vectors and swaps the completed index in (``progress`` told each step).
Complete = Callable[[str, FaqIndex, Callable[[int], None]], None]


@dataclass
class DenseProgress:
    """What ``faqbot tenants``, the admin API and the console show: "e5 1,234 / 10,000"."""

    faq_hash: str
    total: int
    done: int = 0
    state: str = "queued"  # queued, building, failed

    def to_dict(self) -> dict[str, object]:
        return {"faq_hash": self.faq_hash[:12], "done": self.done, "total": self.total, "state": self.state}


def low_priority() -> None:
    """The calling thread (and the threads it starts) at a low priority. Linux keeps nice
    values per thread, so the thread's own id is named; elsewhere this lowers the whole process."""
    try:
        if hasattr(os, "SCHED_BATCH"):
            os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)
    except OSError:
        log.warning("could not lower the priority of background index builds")


class DenseBuilds:
    """One worker thread; a tenant's newer request replaces its queued older one."""

    def __init__(self, complete: Complete) -> None:
        self._complete = complete
        # A tenant to complete, or a job run in turn (a draft's texts encoded ahead of its publish).
        self._queue: queue.Queue[str | Callable[[], None] | None] = queue.Queue()
        self._ahead = 0
        self._wanted: dict[str, FaqIndex] = {}
        self._progress: dict[str, DenseProgress] = {}
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None

    def request(self, tenant: str, index: FaqIndex) -> None:
        """Build ``index``'s dense vectors in the background (it must lack them)."""
        with self._lock:
            self._wanted[tenant] = index
            self._progress[tenant] = DenseProgress(index.faq_hash, len(index.entries))
            self._start()
        self._queue.put(tenant)

    def _start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="dense-build", daemon=True)
            self._thread.start()

    def encode_ahead(self, job: Callable[[], None]) -> None:
        """Run ``job`` (it fills the text cache) on the worker: a completion requested later finds
        its texts encoded, and nothing is encoded twice."""
        with self._lock:
            self._ahead += 1
            self._start()
        self._queue.put(job)

    def progress(self, tenant: str) -> DenseProgress | None:
        """The tenant's build in progress (or failed), None when none is pending."""
        return self._progress.get(tenant)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no build or encoding ahead is queued or running; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._wanted and not self._ahead, timeout)

    def stop(self) -> None:
        self._queue.put(None)

    def _run(self) -> None:
        low_priority()
        while (item := self._queue.get()) is not None:
            if callable(item):
                self._run_ahead(item)
                continue
            tenant = item
            with self._lock:
                index = self._wanted.get(tenant)
                state = self._progress.get(tenant)
            if index is None or state is None:
                continue  # a newer request of the same tenant ran already
            state.state = "building"

            def step(n: int, state: DenseProgress = state) -> None:
                state.done += n

            try:
                self._complete(tenant, index, step)
            except Exception:
                log.exception("building the dense vectors of %s failed", tenant)
                state.state = "failed"
            with self._idle:
                if self._wanted.get(tenant) is index:
                    del self._wanted[tenant]
                    if state.state != "failed":
                        self._progress.pop(tenant, None)
                self._idle.notify_all()

    def _run_ahead(self, job: Callable[[], None]) -> None:
        try:
            job()
        except Exception:
            log.exception("encoding a draft's texts ahead of its publish failed")
        with self._idle:
            self._ahead -= 1
            self._idle.notify_all()
