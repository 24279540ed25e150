"""Inner-product FAISS index: exact for small FAQ sets, an inverted file (IVF) above a measured size."""

from __future__ import annotations

import math
import os
from pathlib import Path

import faiss
import numpy as np

# IVF shape, measured on a 10,000-FAQ set's texts (bench/retrieval_speed.py --ann-sizes): ~4·√n lists,
# a fifth of them probed but at least ~3,300 texts scanned, k-means for 10 rounds on 16 texts a list.
# Recall of search()'s 64 dense candidates at 10k / 20k / 32k texts: 0.987 / 0.981 / 0.989 (the HNSW
# graph it replaced: 0.986 / 0.976 / 0.969) for ~2 s of build CPU at 32k instead of ~7–14 s.
# The lists hold 8-bit codes, not floats: a query reads a quarter of the memory (IVF search p95 at
# 32k texts 2.1 → 1.0 ms) for recall@64 0.990 → 0.986; search() rescores its candidates from the
# exact vectors anyway.
LISTS_PER_ROOT = 4
PROBED_SHARE = 5
MIN_SCANNED = 3_300
KMEANS_ROUNDS = 10
KMEANS_SAMPLE = 16


def ivf_index(vectors: np.ndarray) -> faiss.IndexIVFScalarQuantizer:
    """A trained, filled IVF index of unit ``vectors`` (deterministic: FAISS seeds its k-means)."""
    n, dim = vectors.shape
    lists = max(1, int(LISTS_PER_ROOT * math.sqrt(n)))
    index = faiss.IndexIVFScalarQuantizer(
        faiss.IndexFlatIP(dim), dim, lists, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
    )
    index.cp.niter = KMEANS_ROUNDS
    index.cp.max_points_per_centroid = KMEANS_SAMPLE
    index.cp.min_points_per_centroid = 1  # a small sample is the point, not a warning
    index.train(vectors)
    index.add(vectors)
    index.nprobe = min(lists, max(1, lists // PROBED_SHARE, math.ceil(lists * MIN_SCANNED / n)))
    return index


class FaissIndex:
    def __init__(self, dim: int, ann_min_texts: int) -> None:
        self.dim = dim
        self.ann_min_texts = ann_min_texts
        self.index: faiss.Index = faiss.IndexFlatIP(dim)

    def index_vectors(self, vectors: np.ndarray) -> None:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        # k-means and the list assignment gain from every core; OpenMP's thread count is per calling
        # thread, so queries elsewhere keep one.
        previous = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(os.cpu_count() or 1)
        try:
            if len(vectors) >= self.ann_min_texts:
                self.index = ivf_index(vectors)
            else:
                self.index = faiss.IndexFlatIP(self.dim)
                self.index.add(vectors)
        finally:
            faiss.omp_set_num_threads(previous)

    def search(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, ids) for one query vector; ids are -1 where fewer than k exist."""
        k = max(1, min(k, self.index.ntotal))
        # One query at a time gains nothing from OpenMP threads, and on a busy 2-core machine they
        # spin against each other: a flat search over 32k texts took 115 ms with 2 threads, 34 ms
        # with 1 (bench/retrieval_speed.py). OpenMP's thread count belongs to the calling thread (a
        # server's request threads start with one per core), so it is set where the search runs.
        faiss.omp_set_num_threads(1)
        scores, ids = self.index.search(np.ascontiguousarray(vector.reshape(1, -1), dtype=np.float32), k)
        return scores[0], ids[0]

    def count(self) -> int:
        return int(self.index.ntotal)

    def save(self, directory: Path) -> list[Path]:
        path = directory / "dense.faiss"
        faiss.write_index(self.index, str(path))
        return [path]

    def load(self, directory: Path) -> None:
        self.index = faiss.read_index(str(directory / "dense.faiss"))
