"""Errors of the retrieval engine (Korean + English, like every faqbot error)."""

from __future__ import annotations


class RetrievalError(Exception):
    def __init__(self, message_ko: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_ko = message_ko
        self.message_en = message_en


class IndexManifestMismatch(RetrievalError):
    """The index on disk was built by another encoder (or format) than the one configured."""


class IndexCorrupted(RetrievalError):
    """A file of the index is missing, truncated or does not match its manifest checksum."""
