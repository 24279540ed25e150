"""Background publishing for the admin API: one build at a time per tenant, its status queryable."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.errors import FaqbotError
from bot.operators.errors import PublishInProgress
from bot.operators.lifecycle import FaqLifecycle
from bot.store import FaqVersion

log = logging.getLogger(__name__)
Action = Literal["publish", "rollback"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass
class Job:
    tenant: str
    version: int
    action: Action
    actor: str
    total: int
    done: int = 0
    state: Literal["building", "live", "failed"] = "building"
    error: str | None = None
    started_at: dt.datetime = field(default_factory=_now)
    finished_at: dt.datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "action": self.action,
            "state": self.state,
            "progress": {"done": self.done, "total": self.total},
            "error": self.error,
            "started_at": self.started_at.isoformat(timespec="seconds"),
            "finished_at": self.finished_at.isoformat(timespec="seconds") if self.finished_at else None,
        }


class Publisher:
    """Runs publishes and rollbacks on a worker thread; the request returns at once (202)."""

    def __init__(self, lifecycle: FaqLifecycle) -> None:
        self.lifecycle = lifecycle
        # One worker: index builds are CPU-bound, two at once would only slow chat down.
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="publish")
        # Preparing a big draft can take minutes; it must not hold up a publish or a rollback.
        self._prepare_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="prepare")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(
        self, tenant: str, version: int, actor: str, action: Action, allow_deletions: bool = False
    ) -> Job:
        """Check the version now (errors are the caller's 409/404) and build it in the background;
        the job's version is the rebased draft when ``version`` had to be rebased."""
        with self._lock:
            running = self._jobs.get(tenant)
            if running and running.state == "building":
                raise PublishInProgress(tenant, running.version)
        if action == "publish":
            found = self.lifecycle.check_publishable(tenant, version, actor, allow_deletions)
        else:
            found = self.lifecycle.check_rollback(tenant, version)
        with self._lock:
            running = self._jobs.get(tenant)
            if running and running.state == "building":
                raise PublishInProgress(tenant, running.version)
            job = Job(tenant, found.version, action, actor, total=len(found.entries))
            self._jobs[tenant] = job
        self._pool.submit(self._run, job, found)
        return job

    def _run(self, job: Job, version: FaqVersion) -> None:
        def progress(n: int) -> None:
            job.done += n

        try:
            self.lifecycle.go_live(version, job.actor, job.action, progress)
            # Live on every signal, or on the lexical ones with the rest building in the background.
            job.done, job.state = job.total, "live"
        except FaqbotError as exc:
            job.state, job.error = "failed", exc.message_ko
        except Exception:
            log.exception("publishing %s version %d failed", job.tenant, job.version)
            job.state, job.error = "failed", "색인을 만드는 중 오류가 발생했습니다."
        job.finished_at = _now()

    def status(self, tenant: str) -> Job | None:
        return self._jobs.get(tenant)

    def prepare_later(self, version: FaqVersion) -> None:
        """Encode a fresh draft's texts in the background, so its publish is quick."""
        self._prepare_pool.submit(self._prepare, version)

    def _prepare(self, version: FaqVersion) -> None:
        try:
            self.lifecycle.prepare(version)
        except Exception:
            log.exception("preparing %s version %d failed", version.tenant, version.version)

    def shutdown(self) -> None:
        self._prepare_pool.shutdown(wait=True, cancel_futures=True)
        self._pool.shutdown(wait=True, cancel_futures=True)
