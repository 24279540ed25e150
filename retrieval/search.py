"""Hybrid search over one FaqIndex and the answer/suggest/fallback decision."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from retrieval.config import FOREIGN_SLOPE, Calibration, Thresholds
from retrieval.documents import FaqEntry
from retrieval.index import FIELD_DOCUMENT, FaqIndex

Decision = Literal["answer", "suggest", "fallback"]

# Candidate FAQs: owners of the best dense texts from FAISS, plus each BM25 view's best FAQs.
_DENSE_CANDIDATES = 64
_SPARSE_CANDIDATES = 32


@dataclass(frozen=True)
class Hit:
    entry: FaqEntry
    #: Fused score in [0, 1]: the weighted signals, each min-max scaled over the candidates.
    score: float
    #: Best cosine of the query with any of the FAQ's texts.
    dense: float
    #: Morpheme BM25 of the FAQ, saturated into [0, 1).
    sparse: float

    @property
    def faq_id(self) -> str:
        return self.entry.id


@dataclass(frozen=True)
class SearchResult:
    query: str
    decision: Decision
    hits: tuple[Hit, ...]
    #: Probability that the query is about this FAQ set at all (drives fallback).
    relevance: float = 0.0
    #: Probability that the best hit is the right FAQ (drives answer).
    confidence: float = 0.0

    @property
    def best(self) -> Hit | None:
        return self.hits[0] if self.hits else None


def decide(
    thresholds: Thresholds,
    relevance: float,
    confidence: float,
    lead: float,
    same_question: bool = False,
    near_question: bool = False,
) -> Decision:
    """Answer only when the best FAQ is likely right and clearly ahead (``lead``: its fused score
    minus the runner-up's), or when the query is one of its own questions; a confident wrong answer
    is worse than offering choices. Fall back when the question is not about this FAQ set, unless
    it is close to one of the best FAQ's questions (``near_question``)."""
    if same_question and lead >= thresholds.margin:
        return "answer"
    if relevance < thresholds.suggest:
        return "suggest" if near_question else "fallback"
    if confidence >= thresholds.answer and lead >= thresholds.margin:
        return "answer"
    return "suggest"


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _minmax(values: np.ndarray) -> np.ndarray:
    low, high = float(values.min()), float(values.max())
    return (values - low) / (high - low) if high > low else np.zeros_like(values)


def _scaled(scores: np.ndarray) -> np.ndarray:
    """BM25 over the best score: the min-max of all FAQs, whose minimum is practically always 0,
    without scoring every FAQ."""
    high = float(scores.max())
    return scores / high if high > 0 else np.zeros_like(scores)


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    k = min(k, len(scores))
    best = np.argpartition(-scores, k - 1)[:k]
    return best[scores[best] > 0]


def search(
    index: FaqIndex,
    query: str,
    thresholds: Thresholds | None = None,
    k: int = 5,
    language: str = "ko",
    ranked_as: str | None = None,
) -> SearchResult:
    """Best ``k`` FAQs for ``query``, best first, with the decision and its two probabilities;
    ``thresholds`` default to those of the index's profile (dense, or lexical while its vectors
    are being built); ``language`` (ISO 639-1) picks the numbers tuned for questions in it.

    ``ranked_as``: the query as the lexical signals rank the FAQs, e.g. without the name of the
    organisation every FAQ of the set is about ("등불축제 주차 어디" → "주차 어디": the name would
    rank first the FAQs that happen to repeat it). The name still counts as evidence that the
    question is about this FAQ set, so the calibration judges ``query`` as asked."""
    n = len(index.entries)
    if n == 0 or not query.strip():
        return SearchResult(query, "fallback", ())
    profile = index.profile
    fusion, calibration = profile.fusion, profile.calibration
    tuning = index.config.languages.get(language) if index.has_dense else None
    if tuning is not None:
        fusion, thresholds = tuning.fusion or fusion, tuning.thresholds or thresholds
        calibration = tuning.calibration or calibration
    text = index.rewrite(query)
    bm25 = index.bm25.search(text)
    chars = index.chars.search(text)
    ranked_text = index.rewrite(ranked_as) if ranked_as and ranked_as.strip() else text
    ranked_bm25, ranked_chars = (
        (bm25, chars)
        if ranked_text == text
        else (index.bm25.search(ranked_text), index.chars.search(ranked_text))
    )
    exact = index.asked_exactly(query)
    candidates = {
        int(i)
        for scores in (bm25, chars, ranked_bm25, ranked_chars)
        for i in _top(scores, _SPARSE_CANDIDATES)
    }
    candidates.update(exact)
    vector = None
    if index.has_dense:
        vector = index.encoder.encode([text])[0]
        _, ids = index.dense.search(vector, _DENSE_CANDIDATES)
        candidates.update(index.owners[ids[ids >= 0]].tolist())
    if len(candidates) < min(k, n):
        # Callers rely on exactly k results; pad with further FAQs, scored like the others.
        candidates.update(range(min(n, len(candidates) + k)))
    faqs = np.fromiter(sorted(candidates), dtype=np.int64)
    same_cosine = tuning.same_language_cosine if tuning is not None else None
    own_language = language if same_cosine is not None else None
    # A foreign question's cosines with the FAQ's texts in other languages, and apart from them its
    # best with the FAQ's questions in its own language (-1 where there are none).
    other, in_language, document = _cosines(index, faqs, vector, own_language)
    question = np.maximum(other, in_language)
    # One of the FAQ's own questions: typed exactly (also while only the lexical signals are
    # built), or near enough in meaning.
    same = (question >= fusion.same_question) | np.isin(faqs, exact)
    weights = (fusion.question_dense, fusion.document_dense, fusion.morpheme_bm25, fusion.char_bm25)
    # Ranked with hubs discounted; the calibration judges the plain cosine (absolute evidence).
    ranked_document = document - fusion.document_hubness * index.document_hubness[faqs]
    base = (
        fusion.question_dense * _minmax(question)
        + fusion.document_dense * _minmax(ranked_document)
        + fusion.morpheme_bm25 * _scaled(ranked_bm25[faqs])
        + fusion.char_bm25 * _scaled(ranked_chars[faqs])
    ) / sum(weights)
    # Ranked by the blend, one of the FAQ's own questions first; leads keep the blend's scale.
    key = base + fusion.same_question_weight * same
    ranking = np.argsort(-key, kind="stable")
    order = ranking[:k]
    fused = key / (1 + fusion.same_question_weight)
    hits = tuple(
        Hit(
            index.entries[faqs[j]],
            float(fused[j]),
            float(max(question[j], document[j])),
            float(bm25[faqs[j]] / (bm25[faqs[j]] + 6.0)),
        )
        for j in order
    )
    best = ranking[0]
    lead = float(key[best] - (key[ranking[1]] if len(ranking) > 1 else 0.0))
    relevance, confidence = _calibrate(
        calibration,
        float(other[best]),
        float(document[best]),
        float(bm25[faqs[best]]),
        float(chars[faqs[best]]),
        lead,
    )
    if same_cosine is not None:
        relevance = max(relevance, _sigmoid(FOREIGN_SLOPE * (float(in_language[best]) - same_cosine)))
    # On e5's Korean question-to-question scale only: a foreign language's own scale is its tuning's.
    near = tuning is None and bool(question[best] >= fusion.near_question)
    decision = decide(thresholds or profile.thresholds, relevance, confidence, lead, bool(same[best]), near)
    return SearchResult(query, decision, hits, relevance, confidence)


def _cosines(
    index: FaqIndex, faqs: np.ndarray, vector: np.ndarray | None, language: str | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact cosines of every text of every candidate: its best question (with ``language``: its
    best question in another language, then its best in ``language``, -1 where it has none), and
    its question+answer document (zeros while the index has no dense vectors)."""
    if vector is None:
        zeros = np.zeros(len(faqs), dtype=np.float32)
        return zeros, np.full(len(faqs), -1.0, dtype=np.float32), zeros
    offsets = index.offsets
    rows = np.concatenate([np.arange(offsets[i], offsets[i + 1]) for i in faqs])
    cosine = index.vectors[rows] @ vector
    position = np.repeat(np.arange(len(faqs)), offsets[faqs + 1] - offsets[faqs])
    is_document = index.fields[rows] == FIELD_DOCUMENT
    if language is None:
        in_language = np.zeros(len(rows), dtype=bool)
    else:
        in_language = ~is_document & (index.text_languages[rows] == language)
    return (
        _best_of(len(faqs), position, cosine, ~is_document & ~in_language),
        _best_of(len(faqs), position, cosine, in_language),
        _best_of(len(faqs), position, cosine, is_document),
    )


def _best_of(n: int, position: np.ndarray, cosine: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """Per candidate, the best cosine of its ``chosen`` texts (-1 where it has none)."""
    best = np.full(n, -1.0, dtype=np.float32)
    np.maximum.at(best, position[chosen], cosine[chosen])
    return best


def _calibrate(
    c: Calibration, question: float, document: float, bm25: float, chars: float, lead: float
) -> tuple[float, float]:
    relevance = _sigmoid(
        c.relevance_dense * document
        + c.relevance_question * question
        + c.relevance_bm25 * math.log1p(bm25)
        + c.relevance_char * math.log1p(chars)
        + c.relevance_bias
    )
    confidence = _sigmoid(
        c.confidence_margin * lead
        + c.confidence_dense * document
        + c.confidence_bm25 * math.log1p(bm25)
        + c.confidence_char * math.log1p(chars)
        + c.confidence_bias
    )
    return relevance, confidence
