"""Okapi BM25 over analysed terms, stored as one precomputed sparse weight matrix."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from scipy import sparse

Analyse = Callable[[str], list[str]]


def analyse_all(analyse: Analyse, texts: Sequence[str]) -> list[list[str]]:
    """``[analyse(t) for t in texts]``, through the analyser's own batch method ``many`` when it has
    one (Kiwi's worker threads, a cache's few queries)."""
    many = getattr(analyse, "many", None)
    if many is None or not texts:
        # Nothing to analyse must cost nothing: Kiwi's first batch starts its worker threads (~1 s),
        # which a re-import whose questions are all cached would otherwise pay.
        return [analyse(t) for t in texts]
    return list(many(texts))


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
        """Index ``texts``; ``terms``, when given, are their analyses done beforehand (in a batch).

        Counted with numpy over all documents' term ids at once: a Counter per document cost ~1.5 s
        of a 10,000-FAQ publish."""
        analysed = terms if terms is not None else [self.analyse(t) for t in texts]
        n, vocab = len(texts), self.vocab
        lengths = np.fromiter(map(len, analysed), dtype=np.int64, count=n)
        # Ids in order of first appearance, as the vocabulary file is written.
        ids = np.fromiter(
            (vocab.setdefault(t, len(vocab)) for doc in analysed for t in doc),
            dtype=np.int64,
            count=int(lengths.sum()),
        )
        width = max(len(vocab), 1)
        pairs, tfs = np.unique(
            np.repeat(np.arange(n, dtype=np.int64), lengths) * width + ids, return_counts=True
        )
        row_arr, col_arr = np.divmod(pairs, width)
        df = np.bincount(col_arr, minlength=len(vocab)).astype(np.float32)
        avg = float(lengths.mean()) if n else 1.0
        idf = np.log1p((n - df + 0.5) / (df + 0.5))
        tf_arr = tfs.astype(np.float32)
        norm = self.k1 * (1 - self.b + self.b * lengths[row_arr].astype(np.float32) / max(avg, 1e-9))
        values = idf[col_arr] * tf_arr * (self.k1 + 1) / (tf_arr + norm)
        self.weights = sparse.csc_matrix((values, (row_arr, col_arr)), shape=(n, len(vocab)))

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
