"""Okapi BM25 over analysed terms, stored as one precomputed sparse weight matrix."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from scipy import sparse

Analyse = Callable[[str], list[str]]


def analyse_all(analyse: Analyse, texts: Sequence[str]) -> list[list[str]]:
    """``[analyse(t) for t in texts]``, through the analyser's own batch method ``many`` when it has
    one (Kiwi's worker threads, a cache's few queries)."""
    many = getattr(analyse, "many", None)
    return list(many(texts)) if many is not None else [analyse(t) for t in texts]


class BM25Index:
    """Rows are documents; a query's scores are the sum of its terms' weight columns."""

    def __init__(self, analyse: Analyse, name: str = "bm25", k1: float = 1.2, b: float = 0.75) -> None:
        self.analyse = analyse
        # Prefix of the saved files, so one index directory can hold several BM25 views.
        self.name = name
        self.k1 = k1
        self.b = b
        self.vocab: dict[str, int] = {}
        self.weights = sparse.csc_matrix((0, 0), dtype=np.float32)

    def index(self, texts: Sequence[str], terms: Sequence[list[str]] | None = None) -> None:
        """Index ``texts``; ``terms``, when given, are their analyses done beforehand (in a batch)."""
        analysed = terms if terms is not None else [self.analyse(t) for t in texts]
        counts = [Counter(t) for t in analysed]
        for c in counts:
            for term in c:
                self.vocab.setdefault(term, len(self.vocab))
        lengths = np.array([sum(c.values()) for c in counts], dtype=np.float32)
        avg = float(lengths.mean()) if len(lengths) else 1.0
        df = np.zeros(len(self.vocab), dtype=np.float32)
        rows, cols, tfs = [], [], []
        for i, c in enumerate(counts):
            for term, tf in c.items():
                j = self.vocab[term]
                df[j] += 1
                rows.append(i)
                cols.append(j)
                tfs.append(tf)
        n = len(texts)
        idf = np.log1p((n - df + 0.5) / (df + 0.5))
        tf_arr = np.array(tfs, dtype=np.float32)
        row_arr = np.array(rows, dtype=np.int64)
        col_arr = np.array(cols, dtype=np.int64)
        norm = self.k1 * (1 - self.b + self.b * lengths[row_arr] / max(avg, 1e-9))
        values = idf[col_arr] * tf_arr * (self.k1 + 1) / (tf_arr + norm)
        self.weights = sparse.csc_matrix((values, (row_arr, col_arr)), shape=(n, len(self.vocab)))

    def search(self, query: str) -> np.ndarray:
        """BM25 score of every document for ``query`` (dense vector, one entry per document)."""
        scores = np.zeros(self.weights.shape[0], dtype=np.float32)
        # Straight from the CSC arrays: much faster than scipy's column slicing for a few terms.
        indptr, indices, data = self.weights.indptr, self.weights.indices, self.weights.data
        for term in self.analyse(query):
            j = self.vocab.get(term)
            if j is not None:
                start, end = indptr[j], indptr[j + 1]
                scores[indices[start:end]] += data[start:end]
        return scores

    def count(self) -> int:
        return int(self.weights.shape[0])

    def save(self, directory: Path) -> list[Path]:
        weights = directory / f"{self.name}.npz"
        vocab = directory / f"{self.name}_vocab.txt"
        sparse.save_npz(weights, self.weights.tocsc(), compressed=False)
        terms = sorted(self.vocab, key=self.vocab.__getitem__)
        vocab.write_text("\n".join(terms), encoding="utf-8")
        return [weights, vocab]

    def load(self, directory: Path) -> None:
        self.weights = sparse.load_npz(directory / f"{self.name}.npz").tocsc()
        text = (directory / f"{self.name}_vocab.txt").read_text(encoding="utf-8")
        self.vocab = {t: i for i, t in enumerate(text.split("\n"))} if text else {}
