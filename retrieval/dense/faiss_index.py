"""Inner-product FAISS index: exact for small FAQ sets, HNSW above a measured size."""

from __future__ import annotations

import os
from pathlib import Path

import faiss
import numpy as np


class FaissIndex:
    def __init__(self, dim: int, ann_min_texts: int) -> None:
        self.dim = dim
        self.ann_min_texts = ann_min_texts
        self.index: faiss.Index = faiss.IndexFlatIP(dim)

    def index_vectors(self, vectors: np.ndarray) -> None:
        if len(vectors) >= self.ann_min_texts:
            hnsw = faiss.IndexHNSWFlat(self.dim, 32, faiss.METRIC_INNER_PRODUCT)
            hnsw.hnsw.efConstruction = 80
            hnsw.hnsw.efSearch = 128
            self.index = hnsw
        else:
            self.index = faiss.IndexFlatIP(self.dim)
        # Building an HNSW graph is the one FAISS step that gains from every core (~14 s of CPU for
        # 32k texts); OpenMP's thread count is per calling thread, so queries elsewhere keep one.
        previous = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(os.cpu_count() or 1)
        try:
            self.index.add(np.ascontiguousarray(vectors, dtype=np.float32))
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
