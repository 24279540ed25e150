"""The dense side above its size threshold: an IVF index whose candidates are the exact scan's."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np
import pytest

from retrieval import Encoder
from retrieval.dense.faiss_index import FaissIndex

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


@pytest.fixture(scope="module")
def vectors(encoder: Encoder) -> np.ndarray:
    from bot.faqsets.files import read_faq_file

    tenants = ("gaeram-univ", "seohae-mudfest")
    rows = [e for t in tenants for e in read_faq_file(SHARED / "faq" / t / "faq.csv")]
    questions = [q for e in rows for q in (e.question, *e.alt_questions)]
    return encoder.encode(questions + [f"{e.question} {e.answer}" for e in rows])


def test_small_sets_are_scanned_exactly(vectors: np.ndarray) -> None:
    dense = FaissIndex(vectors.shape[1], ann_min_texts=len(vectors) + 1)
    dense.index_vectors(vectors)
    assert isinstance(dense.index, faiss.IndexFlatIP) and dense.count() == len(vectors)


def test_above_the_threshold_an_ivf_finds_the_exact_candidates_and_survives_a_reload(
    vectors: np.ndarray, encoder: Encoder, tmp_path: Path
) -> None:
    exact = FaissIndex(vectors.shape[1], ann_min_texts=len(vectors) + 1)
    exact.index_vectors(vectors)
    dense = FaissIndex(vectors.shape[1], ann_min_texts=100)
    dense.index_vectors(vectors)
    assert isinstance(dense.index, faiss.IndexIVFScalarQuantizer) and dense.count() == len(vectors)
    queries = encoder.encode(["기숙사 신청 언제 해요", "주차장 어디", "입장료 얼마예요", "와이파이 안 돼요"])
    found = 0
    for query in queries:
        want = exact.search(query, 20)[1].tolist()
        got = dense.search(query, 20)[1].tolist()
        assert want[0] in got  # the best text is never missed
        found += len(set(want) & set(got))
    assert found >= 0.85 * 20 * len(queries)  # the candidates search() rescores exactly
    dense.save(tmp_path)
    loaded = FaissIndex(vectors.shape[1], ann_min_texts=100)
    loaded.load(tmp_path)
    assert faiss.extract_index_ivf(loaded.index).nprobe == faiss.extract_index_ivf(dense.index).nprobe > 1
    for query in queries:
        assert loaded.search(query, 20)[1].tolist() == dense.search(query, 20)[1].tolist()
