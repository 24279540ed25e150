"""Any sentence-transformers model by hub name or local path (e.g. jhgan/ko-sroberta-multitask)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from retrieval.encoders.base import unit_rows


class SentenceTransformerEncoder:
    def __init__(self, model: str, prefix: str = "", threads: int = 1) -> None:
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("pip install sentence-transformers torch==2.13.0") from exc
        torch.set_num_threads(threads)
        self._model = SentenceTransformer(model, device="cpu")
        self._prefix = prefix
        # Renamed in sentence-transformers 5; the old name still works but warns.
        dimension = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension
        )
        self.dim = int(dimension() or 0)
        self.name = f"sentence-transformers:{model}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        batch = [self._prefix + t for t in texts]
        return unit_rows(self._model.encode(batch, batch_size=64, convert_to_numpy=True))

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode(texts)
