"""Turns an EncoderConfig into an encoder; optional backends are imported only when chosen."""

from __future__ import annotations

from retrieval.config import EncoderConfig
from retrieval.encoders.base import Encoder


def make_encoder(config: EncoderConfig) -> Encoder:
    if config.backend == "use-multilingual":
        from retrieval.encoders.use import UseMultilingualEncoder

        return UseMultilingualEncoder(threads=config.threads)
    if config.model is None:
        raise ValueError("the sentence-transformers encoder needs a model name or path")
    from retrieval.encoders.sentence_transformers import SentenceTransformerEncoder

    return SentenceTransformerEncoder(config.model, prefix=config.prefix, threads=config.threads)
