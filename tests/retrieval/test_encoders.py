"""Both encoder backends load real weights offline and return unit-length embeddings."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from retrieval import Encoder, EncoderConfig, make_encoder


def _check_encoder(encoder: Encoder, similar: tuple[str, str], unrelated: str) -> None:
    vectors = encoder.encode([*similar, unrelated])
    assert vectors.shape == (3, encoder.dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.1
    assert encoder.encode([]).shape == (0, encoder.dim)


def test_use_multilingual_backend(encoder: Encoder) -> None:
    assert encoder.name == "use-multilingual" and encoder.dim == 512
    _check_encoder(
        encoder, ("주차장은 어디에 있나요?", "차를 어디에 세우면 되나요?"), "오늘 점심 메뉴 추천해 줘"
    )


@pytest.fixture(scope="module")
def minilm_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from all_minilm_l6_v2 import extract_model

    return extract_model(str(tmp_path_factory.mktemp("minilm")))


def test_sentence_transformers_backend_loads_local_weights(
    minilm_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Offline: the weights come from the package, never from a hub.
    monkeypatch.setitem(os.environ, "HF_HUB_OFFLINE", "1")
    encoder = make_encoder(EncoderConfig(backend="sentence-transformers", model=str(minilm_path)))
    assert encoder.dim == 384
    assert encoder.name == f"sentence-transformers:{minilm_path}"
    _check_encoder(encoder, ("Where can I park my car?", "Where is the parking lot?"), "How old is the moon?")


def test_sentence_transformers_needs_a_model() -> None:
    with pytest.raises(ValueError, match="model"):
        make_encoder(EncoderConfig(backend="sentence-transformers"))
