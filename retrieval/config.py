"""Typed configuration of the engine: which encoder, how scores are fused, when to answer.

The fusion weights and the calibration below were chosen on the demo tenants' dev sets (all three
pooled, one global set of numbers; see bench/retrieval_accuracy.py), never per query.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EncoderConfig(_Frozen):
    backend: Literal["use-multilingual", "sentence-transformers"] = "use-multilingual"
    # Model name or local path for sentence-transformers (e.g. jhgan/ko-sroberta-multitask).
    model: str | None = None
    # Prefix prepended to every text, e.g. "query: " for intfloat/multilingual-e5-*.
    prefix: str = ""
    threads: int = 1

    @property
    def name(self) -> str:
        return self.backend if self.model is None else f"{self.backend}:{self.model}"


class Fusion(_Frozen):
    """Weights of the four signals, each min-max scaled over the query's candidate FAQs.

    Four views of a FAQ complement each other: the sentence encoder matches paraphrases of the
    question (``question_dense``) and situations described in the answer (``document_dense``, the
    question and answer encoded together); BM25 over Kiwi morphemes matches the FAQ's words, and
    BM25 over character bigrams of the unspaced text survives typos, missing spaces and words Kiwi
    mis-segments (머드축제주차어디 → 주/MM 차/NNB).
    """

    question_dense: float = Field(default=0.13, ge=0)
    document_dense: float = Field(default=0.48, ge=0)
    morpheme_bm25: float = Field(default=0.18, ge=0)
    char_bm25: float = Field(default=0.21, ge=0)
    # A query this close (cosine) to one of a FAQ's own questions is that question: it ranks first
    # with this extra weight and is answered whatever the calibration says.
    same_question: float = Field(default=0.93, gt=0, le=1)
    same_question_weight: float = Field(default=1.0, ge=0)


class Calibration(_Frozen):
    """Logistic models turning absolute evidence into probabilities for the decision.

    ``relevance``: is the question about this FAQ set at all (absolute cosine and BM25 of the best
    FAQ; min-max scores cannot tell, the best always scores high). ``confidence``: is the best FAQ
    the right one (its lead over the runner-up and its BM25 evidence).
    """

    relevance_dense: float = 1.6
    relevance_bm25: float = 1.15
    relevance_char: float = 1.65
    relevance_bias: float = -5.3
    confidence_margin: float = 2.8
    confidence_dense: float = 0.4
    confidence_bm25: float = 0.5
    confidence_char: float = 0.65
    confidence_bias: float = -2.4


class Thresholds(_Frozen):
    """Decision thresholds on the calibrated probabilities; tenants may override them."""

    # Answer outright only when the best FAQ is this likely to be the right one.
    answer: float = Field(default=0.88, ge=0, le=1)
    # And leads the runner-up by at least this much fused score.
    margin: float = Field(default=0.05, ge=0, le=1)
    # Below this relevance the question is not about this FAQ set: fall back.
    suggest: float = Field(default=0.62, ge=0, le=1)


class LanguageTuning(_Frozen):
    """Fusion, calibration and thresholds for questions in one language other than Korean.

    The FAQ is Korean: BM25 over Korean morphemes and character bigrams finds nothing in an English
    or Japanese question (or matches its digits by chance), and cross-lingual cosines are lower,
    so the weights and the relevance model need other numbers. None keeps the Korean value (for
    thresholds: the tenant's)."""

    fusion: Fusion | None = None
    calibration: Calibration | None = None
    thresholds: Thresholds | None = None


# Where a foreign question's best question+answer cosine makes it relevant (relevance 0.5).
FOREIGN_RELEVANT_COSINE = 0.18


def foreign_tuning(relevant_cosine: float = FOREIGN_RELEVANT_COSINE) -> LanguageTuning:
    """Dense signals only; relevant from ``relevant_cosine`` on (USE: 0.18 measured on
    shared/eval/crosslingual.csv and foreign off-topic questions, bench/crosslingual.py); answers
    still need the Korean confidence, so foreign questions are mostly offered suggestions."""
    slope = 20.0
    return LanguageTuning(
        fusion=Fusion(morpheme_bm25=0.0, char_bm25=0.0),
        calibration=Calibration(
            relevance_dense=slope,
            relevance_bm25=0.0,
            relevance_char=0.0,
            relevance_bias=-slope * relevant_cosine,
            confidence_bm25=0.0,
            confidence_char=0.0,
        ),
        thresholds=Thresholds(suggest=0.5),
    )


def _foreign_defaults() -> dict[str, LanguageTuning]:
    return {language: foreign_tuning() for language in ("en", "ja", "zh")}


class RetrievalConfig(_Frozen):
    encoder: EncoderConfig = EncoderConfig()
    fusion: Fusion = Fusion()
    calibration: Calibration = Calibration()
    # ISO 639-1 code of the question's language → its tuning; Korean (and any language not listed)
    # uses ``fusion`` and the tenant's thresholds.
    languages: dict[str, LanguageTuning] = Field(default_factory=_foreign_defaults)
    # From this many dense texts (≈ 3 per FAQ), FAISS picks candidates with an inverted file (IVF)
    # instead of an exact flat scan: the measured crossover (bench/retrieval_speed.py --ann-sizes);
    # final scores stay exact.
    ann_min_texts: int = 10_000
