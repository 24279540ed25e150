"""Search latency, index build time, peak memory, and where HNSW beats exact FAISS search.

Run: .venv/bin/python bench/retrieval_speed.py [--sizes 100 1000 10000] [--queries 200]
FAQ sets are synthesised from the three demo tenants' rows, each copy perturbed (a numbered
variant of the question and answer) so that no two FAQs are identical. Sets above
``--encode-limit`` FAQs are built with each copy's embedding taken from its original row plus
small noise (search latency does not depend on the values), and their build time is extrapolated
linearly from the largest fully encoded size; the table marks such rows.
"""

from __future__ import annotations

import argparse
import csv
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

import faiss
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.runtime import read_faq_file  # noqa: E402
from nlu.korean import content_morphemes  # noqa: E402
from nlu.lexicon import Lexicon, lexicon_files  # noqa: E402
from retrieval import EncoderConfig, FaqEntry, FaqIndex, RetrievalConfig, Thresholds, make_encoder, search  # noqa: E402

SHARED = ROOT.parent / "shared"
TENANTS = ("gaeram-univ", "seohae-mudfest", "namgang-lantern")
PLACES = ("본관", "정문", "광장", "체육관", "도서관", "주차장", "강변", "무대", "북문", "기숙사")


def synthesise(rows: list[FaqEntry], size: int) -> list[FaqEntry]:
    out = []
    for i in range(size):
        e = rows[i % len(rows)]
        copy, place = i // len(rows), PLACES[(i // len(rows)) % len(PLACES)]
        if copy == 0:
            out.append(e)
            continue
        out.append(
            FaqEntry(
                f"{e.id}-{copy}",
                e.category,
                f"{place} {e.question} ({copy}번)",
                f"{e.answer} {place} 안내 {copy}번 창구에서도 확인할 수 있습니다.",
                e.alt_questions,
                e.link,
            )
        )
    return out


class ReusingEncoder:
    """Encodes each original text once; a synthesised copy gets the original's vector plus noise."""

    _PLACE = "(?:" + "|".join(PLACES) + ")"
    _COPY = re.compile(rf"^{_PLACE} | \(\d+번\)| {_PLACE} 안내 \d+번 창구에서도 확인할 수 있습니다\.")

    def __init__(self, encoder) -> None:  # type: ignore[no-untyped-def]
        self.encoder = encoder
        self.name, self.dim = encoder.name, encoder.dim
        self.cache: dict[str, np.ndarray] = {}
        self.rng = np.random.default_rng(0)

    def encode(self, texts: list[str]) -> np.ndarray:
        originals = [self._COPY.sub("", t) for t in texts]
        missing = sorted({o for o in originals if o not in self.cache})
        if missing:
            self.cache.update(zip(missing, self.encoder.encode(missing), strict=True))
        vectors = np.stack([self.cache[o] for o in originals])
        vectors = vectors + 0.02 * self.rng.standard_normal(vectors.shape).astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def queries(limit: int) -> list[str]:
    texts = []
    for name in (*TENANTS, "oos"):
        with (SHARED / "eval" / f"{name}.csv").open(encoding="utf-8-sig") as fh:
            texts += [r["query"] for r in csv.DictReader(fh)]
    return texts[:limit]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ann_crossover(
    vectors: np.ndarray, probe: np.ndarray, sizes: list[int]
) -> list[tuple[int, float, float, float]]:
    """(texts, exact ms, HNSW ms, HNSW recall@64) over the first n index vectors, 1 thread; probes
    are encoded dev-set queries. Recall is of the 64 dense candidates search() takes."""
    faiss.omp_set_num_threads(1)
    dim = vectors.shape[1]
    rows = []
    for n in sizes:
        data = np.ascontiguousarray(vectors[:n])
        exact = faiss.IndexFlatIP(dim)
        exact.add(data)
        hnsw = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = 80
        hnsw.add(data)
        hnsw.hnsw.efSearch = 128
        timings = []
        for index in (exact, hnsw):
            start = time.perf_counter()
            for p in probe:
                index.search(p.reshape(1, -1), 64)
            timings.append((time.perf_counter() - start) / len(probe) * 1000)
        _, truth = exact.search(probe, 64)
        _, found = hnsw.search(probe, 64)
        recall = np.mean([len(set(t) & set(f)) / 64 for t, f in zip(truth, found, strict=True)])
        rows.append((n, timings[0], timings[1], float(recall)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1_000, 10_000])
    parser.add_argument("--ann-sizes", type=int, nargs="*", default=[3_000, 10_000, 30_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--threads", type=int, default=1, help="encoder threads")
    parser.add_argument("--encode-limit", type=int, default=1_000, help="largest set encoded in full")
    args = parser.parse_args()
    encoder = make_encoder(EncoderConfig(threads=args.threads))
    lexicon = Lexicon.load(lexicon_files(ROOT / "data" / "lexicon"))
    rows = [e for t in TENANTS for e in read_faq_file(SHARED / "faq" / t / "faq.csv")]
    probe = queries(args.queries)
    config = RetrievalConfig()
    reusing = ReusingEncoder(encoder)
    per_faq: float | None = None
    # CPU time beside wall time: on a shared machine it shows what the search itself costs.
    print("| FAQs | texts | build s | p50 ms | p95 ms | CPU p50 ms | CPU p95 ms | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|")
    for size in args.sizes:
        entries = synthesise(rows, size)
        full = size <= args.encode_limit or per_faq is None
        start, cpu_start = time.perf_counter(), time.process_time()
        index = FaqIndex(entries, encoder if full else reusing, content_morphemes, config, lexicon.apply, "b")
        index.build()
        with tempfile.TemporaryDirectory() as tmp:
            index.save(Path(tmp))
        index.encoder = encoder  # queries are always encoded for real
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
        if full:
            per_faq = cpu_seconds / size
            built = f"{seconds:.1f} (CPU {cpu_seconds:.1f})"
        else:
            built = f"CPU ~{per_faq * size:.0f} (extrapolated)" if per_faq else "—"
        for q in probe[:20]:  # warm caches (Kiwi, numpy) before timing
            search(index, q, Thresholds())
        latencies, cpu = [], []
        for q in probe:
            t0, c0 = time.perf_counter(), time.process_time()
            search(index, q, Thresholds())
            latencies.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        p50, p95 = np.percentile(latencies, [50, 95])
        cpu50, cpu95 = np.percentile(cpu, [50, 95])
        texts = len(index.owners)
        print(
            f"| {size:,} | {texts:,} | {built} | {p50:.2f} | {p95:.2f} | {cpu50:.2f} | {cpu95:.2f} "
            f"| {peak_rss_mb():.0f} |",
            flush=True,
        )
    print("\n| dense texts | exact ms | HNSW ms | HNSW recall@64 |\n|---|---|---|---|")
    probe_vectors = encoder.encode([lexicon.apply(q) for q in probe])
    for n, exact_ms, hnsw_ms, recall in ann_crossover(index.vectors, probe_vectors, args.ann_sizes):
        print(f"| {n:,} | {exact_ms:.2f} | {hnsw_ms:.2f} | {recall:.3f} |", flush=True)


if __name__ == "__main__":
    main()
