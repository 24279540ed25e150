"""Hybrid search over one FaqIndex and the answer/suggest/fallback decision."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from retrieval.config import Thresholds
from retrieval.documents import FaqEntry
from retrieval.index import FIELD_ANSWER, FaqIndex

Decision = Literal["answer", "suggest", "fallback"]

# Dense candidates fetched from FAISS before fusion; BM25 adds its own best FAQs to them.
_DENSE_CANDIDATES = 64
_SPARSE_CANDIDATES = 32


@dataclass(frozen=True)
class Hit:
    entry: FaqEntry
    score: float
    dense: float
    sparse: float

    @property
    def faq_id(self) -> str:
        return self.entry.id


@dataclass(frozen=True)
class SearchResult:
    query: str
    decision: Decision
    hits: tuple[Hit, ...]

    @property
    def best(self) -> Hit | None:
        return self.hits[0] if self.hits else None


def decide(hits: tuple[Hit, ...], thresholds: Thresholds) -> Decision:
    """Answer only when the best FAQ is both strong and clearly ahead; a confident wrong answer is
    worse than offering choices."""
    if not hits or hits[0].score < thresholds.suggest:
        return "fallback"
    runner_up = hits[1].score if len(hits) > 1 else 0.0
    if hits[0].score >= thresholds.answer and hits[0].score - runner_up >= thresholds.margin:
        return "answer"
    return "suggest"


def search(index: FaqIndex, query: str, thresholds: Thresholds, k: int = 5) -> SearchResult:
    """Best ``k`` FAQs for ``query`` with fused scores in [0, 1], best first, and the decision."""
    n = len(index.entries)
    if n == 0 or not query.strip():
        return SearchResult(query, "fallback", ())
    fusion = index.config.fusion
    vector = index.encoder.encode([query])[0]

    _, ids = index.dense.search(vector, _DENSE_CANDIDATES)
    bm25 = index.bm25.search(query)
    candidates = set(index.owners[ids[ids >= 0]].tolist())
    top_sparse = np.argpartition(-bm25, min(_SPARSE_CANDIDATES, n - 1))[:_SPARSE_CANDIDATES]
    candidates.update(int(i) for i in top_sparse if bm25[i] > 0)
    faqs = np.fromiter(candidates, dtype=np.int64)

    # Exact cosine of every text of every candidate FAQ; the answer text counts a little less.
    texts = np.flatnonzero(np.isin(index.owners, faqs))
    cosine = index.vectors[texts] @ vector
    cosine = np.where(index.fields[texts] == FIELD_ANSWER, cosine * fusion.answer_weight, cosine)
    dense = np.full(n, -1.0, dtype=np.float32)
    np.maximum.at(dense, index.owners[texts], cosine)

    sparse = bm25 / (bm25 + fusion.bm25_half)
    fused = fusion.dense_weight * np.clip(dense, 0, 1) + (1 - fusion.dense_weight) * sparse
    order = faqs[np.argsort(-fused[faqs], kind="stable")][:k]
    hits = tuple(Hit(index.entries[i], float(fused[i]), float(dense[i]), float(sparse[i])) for i in order)
    return SearchResult(query, decide(hits, thresholds), hits)
