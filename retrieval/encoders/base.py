"""The Encoder interface: texts in, L2-normalised float32 rows out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np


class Encoder(Protocol):
    #: Identifies the weights; an index built by one encoder refuses to load under another.
    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return an (n, dim) float32 array of unit-length embeddings of questions (queries)."""
        ...

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """The same for texts questions are answered from (a FAQ's question and answer); encoders
        trained without roles encode them like questions."""
        ...


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)
