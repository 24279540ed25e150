"""Hubness: how close a FAQ's text sits to questions about nothing in particular.

In a sentence encoder's space some texts are near almost everything (hubs): a FAQ about safety
rules, first aid or photo spots wins questions it does not answer, because its question and answer
read like any visitor's question. Measured against a background of off-topic questions, a FAQ's
hubness is the mean of its highest cosines with them; the ranking discounts a FAQ's cosine by it
(the cross-domain similarity local scaling of Conneau et al. 2018, with the background standing in
for the questions a FAQ set is asked). bench/RESULTS.md has the measurements.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from retrieval.encoders.base import Encoder

# Background questions a text's hubness averages over: a plateau from 10 to 60 on the dev sets and
# question-pair; fewer than this many background questions average all of them.
HUB_NEIGHBOURS = 30


class Background:
    """Off-topic questions encoded on the query side, as visitors' questions are."""

    def __init__(self, vectors: np.ndarray) -> None:
        self.vectors = np.asarray(vectors, dtype=np.float32)

    @classmethod
    def encode(cls, questions: Sequence[str], encoder: Encoder) -> Background:
        return cls(encoder.encode(list(dict.fromkeys(questions))))

    def hubness(self, vectors: np.ndarray) -> np.ndarray:
        """Per row of ``vectors`` (unit rows of the same encoder): the mean of its HUB_NEIGHBOURS
        highest cosines with the background (zeros for an empty background)."""
        if len(self.vectors) == 0 or len(vectors) == 0:
            return np.zeros(len(vectors), dtype=np.float32)
        cosines = self.vectors @ vectors.T
        k = min(HUB_NEIGHBOURS, len(self.vectors))
        nearest = np.partition(cosines, len(self.vectors) - k, axis=0)[-k:]
        return nearest.mean(axis=0).astype(np.float32)
