"""Typed configuration of the engine: which encoder, how scores are fused, when to answer."""

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
    """Convex blend of the dense cosine and the saturated BM25 score of each FAQ."""

    dense_weight: float = Field(default=0.5, ge=0, le=1)
    # BM25 scores are squashed with s / (s + bm25_half); a query scoring bm25_half maps to 0.5.
    bm25_half: float = Field(default=6.0, gt=0)
    # Weight of the answer text relative to the question texts on the dense side.
    answer_weight: float = Field(default=0.85, ge=0, le=1)


class Thresholds(_Frozen):
    """Decision thresholds on the fused score of the best FAQ; tenants may override them."""

    answer: float = Field(default=0.62, ge=0, le=1)
    # The best must lead the second by this much to be answered outright.
    margin: float = Field(default=0.04, ge=0, le=1)
    suggest: float = Field(default=0.45, ge=0, le=1)


class RetrievalConfig(_Frozen):
    encoder: EncoderConfig = EncoderConfig()
    fusion: Fusion = Fusion()
    # Above this many indexed texts, FAISS uses HNSW instead of an exact flat index.
    ann_min_texts: int = 50_000
