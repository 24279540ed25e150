"""An Encoder and a Korean analyser that remember their results (in the store), so re-publishing
a set that is mostly unchanged encodes and analyses only the new texts.

Operators re-import nearly the same file many times, and the texts are encoded at import already.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

import numpy as np

from bot.store.text_cache import TextCache
from retrieval import Encoder, analyse_all

_SEPARATOR = "\x1f"  # never produced by Kiwi inside a term


def cache_key(namespace: str, text: str) -> str:
    """The text cache's key of ``text``'s result under ``namespace`` (what made the result)."""
    return hashlib.sha256(f"{namespace}\0{text}".encode()).hexdigest()


class CachingEncoder:
    """Same ``name`` and ``dim`` as the wrapped encoder, so indexes it builds load under either.
    Questions and passages are cached apart (e5 encodes them with different prefixes)."""

    def __init__(self, encoder: Encoder, cache: TextCache) -> None:
        self.inner = encoder
        self.cache = cache
        self.name = encoder.name
        self.dim = encoder.dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self._cached(texts, self.name, self.inner.encode)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._cached(texts, f"{self.name}|passage", self.inner.encode_passages)

    def _cached(
        self, texts: Sequence[str], namespace: str, encode: Callable[[list[str]], np.ndarray]
    ) -> np.ndarray:
        keys = [cache_key(namespace, t) for t in texts]
        known = self.cache.get_many(list(dict.fromkeys(keys)))
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in known}
        if missing:
            fresh = encode(list(missing.values()))
            encoded = {k: v.astype(np.float32).tobytes() for k, v in zip(missing, fresh, strict=True)}
            self.cache.put_many(encoded)
            known.update(encoded)
        if not keys:
            return np.zeros((0, self.dim), dtype=np.float32)
        # One buffer for the whole batch: stacking 2,048 one-row arrays costs ~10x more.
        joined = b"".join(known[k] for k in keys)
        return np.frombuffer(joined, dtype=np.float32).reshape(len(keys), self.dim).copy()


class CachingAnalyser:
    """``analyse(text)`` with results cached under ``identity`` (the analyser and its dictionaries).

    Kiwi takes ~5 ms a BM25 document, a third of a cold 10,000-row publish. Results stay in
    memory between an import's preparation and its publish in the same process, and go to the store
    (``flush``) for other processes.
    """

    def __init__(self, analyse: Callable[[str], list[str]], identity: str, cache: TextCache) -> None:
        self.analyse = analyse
        self.identity = identity
        self.cache = cache
        self._memo: dict[str, list[str]] = {}
        self._pending: dict[str, bytes] = {}

    def __call__(self, text: str) -> list[str]:
        return self.many([text])[0]

    def many(self, texts: Sequence[str]) -> list[list[str]]:
        """``[self(t) for t in texts]``: stored results fetched in a few queries, the rest analysed
        once each, in one batch when the analyser has one (Kiwi's worker threads). Safe beside a
        ``forget`` on another thread (a publish and a draft's preparation overlap)."""
        unique = dict.fromkeys(texts)
        found = {t: terms for t in unique if (terms := self._memo.get(t)) is not None}
        keys = {cache_key(self.identity, t): t for t in unique if t not in found}
        for key, stored in self.cache.get_many(list(keys)).items():
            raw = stored.decode("utf-8")
            found[keys[key]] = raw.split(_SEPARATOR) if raw else []
        missing = {k: t for k, t in keys.items() if t not in found}
        texts_missing = list(missing.values())
        analysed = analyse_all(self.analyse, texts_missing)
        for key, text, terms in zip(missing, texts_missing, analysed, strict=True):
            found[text] = terms
            self._pending[key] = _SEPARATOR.join(terms).encode("utf-8")
        self._memo.update(found)
        return [found[t] for t in texts]

    def flush(self) -> None:
        """Store the results analysed since the last flush."""
        pending, self._pending = self._pending, {}
        self.cache.put_many(pending)

    def forget(self) -> None:
        """Drop the in-memory results (they stay in the store)."""
        self._memo.clear()
