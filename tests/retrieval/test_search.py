"""Hybrid search over the small hand-written FAQ set: ranking, k results, and the decision."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from nlu.korean import content_morphemes
from nlu.lexicon import Lexicon
from retrieval import Encoder, FaqEntry, FaqIndex, RetrievalConfig, Thresholds, decide, search
from retrieval.documents import Translation
from retrieval.index import FIELD_QUESTION
from retrieval.sparse.ngrams import char_bigrams


@pytest.mark.parametrize(
    ("query", "faq_id"),
    [
        ("주차장은 어디에 있나요?", "parking"),  # the FAQ's own question
        ("주차장어디에있어요", "parking"),  # no spaces at all
        ("긱사 신청 언제 해요?", "dorm-apply"),  # slang through the lexicon
        ("댕댕이 데리고 들어가도 돼요?", "pets"),
        ("와이파이 비번 알려줘", "wifi"),
        ("표 환불 받고 싶어요", "refund"),
    ],
)
def test_the_right_faq_ranks_first(small_index: FaqIndex, query: str, faq_id: str) -> None:
    assert search(small_index, query).hits[0].faq_id == faq_id


def test_own_question_is_answered(small_index: FaqIndex) -> None:
    result = search(small_index, "반려견과 함께 입장할 수 있나요?")
    assert result.decision == "answer" and result.hits[0].faq_id == "pets"


@pytest.mark.parametrize(
    ("query", "faq_id"),
    [
        ("화장실은 어디에 있나요?", "restroom"),
        ("화장실은어디에있나요", "restroom"),  # spacing and punctuation do not count
        ("차 어디에 대요", "parking"),  # an alternative question
        ("where are the RESTROOMS", "restroom"),  # a translated question
    ],
)
def test_a_question_of_the_faq_typed_exactly_is_answered_from_bm25_alone(
    entries: tuple[FaqEntry, ...], lexicon: Lexicon, encoder: Encoder, query: str, faq_id: str
) -> None:
    """Before its vectors are built (a publish answers on BM25 at once) an index still answers a
    visitor who types, or taps on Kakao, one of a FAQ's questions: own, alternative or translated."""
    english = (Translation("en", "Where are the restrooms?"),)
    translated = [replace(e, translations=english) if e.id == "restroom" else e for e in entries]
    config = RetrievalConfig()
    index = FaqIndex(translated, encoder, content_morphemes, config, lexicon.apply, "t").build_lexical()
    assert not index.has_dense
    result = search(index, query)
    assert (result.decision, result.hits[0].faq_id) == ("answer", faq_id)


@pytest.mark.parametrize(
    "query", ["비트코인 시세 좀 알려줘", "김치찌개 맛있게 끓이는 법", "내일 서울 날씨 어때?"]
)
def test_out_of_scope_falls_back_with_k_results(small_index: FaqIndex, query: str) -> None:
    result = search(small_index, query, k=4)
    assert result.decision == "fallback"
    assert len(result.hits) == 4
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)


def test_k_larger_than_the_set_returns_every_faq(
    small_index: FaqIndex, entries: tuple[FaqEntry, ...]
) -> None:
    result = search(small_index, "주차", k=50)
    assert sorted(h.faq_id for h in result.hits) == sorted(e.id for e in entries)


def test_blank_query_falls_back_without_hits(small_index: FaqIndex) -> None:
    assert search(small_index, "   ") == search(small_index, "   ")
    assert search(small_index, "   ").hits == ()


@pytest.mark.parametrize(
    ("relevance", "confidence", "lead", "same", "near", "expected"),
    [
        (0.9, 0.95, 0.2, False, False, "answer"),
        (0.9, 0.95, 0.01, False, False, "suggest"),  # too close to the runner-up
        (0.9, 0.5, 0.2, False, False, "suggest"),
        (0.3, 0.95, 0.2, False, False, "fallback"),
        (0.3, 0.1, 0.6, True, False, "answer"),  # one of the FAQ's own questions
        (0.3, 0.1, 0.01, True, False, "fallback"),  # ...that two FAQs share
        (0.3, 0.95, 0.2, False, True, "suggest"),  # close to one of them: offered, not answered
        (0.9, 0.95, 0.2, False, True, "answer"),
    ],
)
def test_decide(
    relevance: float, confidence: float, lead: float, same: bool, near: bool, expected: str
) -> None:
    thresholds = Thresholds(answer=0.88, margin=0.05, suggest=0.62)
    assert decide(thresholds, relevance, confidence, lead, same, near) == expected


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("주차장 어디", ["주차", "차장", "장어", "어디"]),
        ("Wi-Fi 비번!", ["wi", "if", "fi", "i비", "비번"]),
        ("차", ["차"]),
        (" ?! ", []),
    ],
)
def test_char_bigrams(text: str, terms: list[str]) -> None:
    assert char_bigrams(text) == terms


def test_an_operators_translated_question_brings_visitors_in_its_language_closer(
    small_index: FaqIndex, entries: tuple[FaqEntry, ...], lexicon: Lexicon, encoder: Encoder
) -> None:
    english = (Translation("en", "Where are the restrooms?", "On both sides of the square."),)
    translated = [replace(e, translations=english) if e.id == "restroom" else e for e in entries]
    index = FaqIndex(translated, encoder, content_morphemes, RetrievalConfig(), lexicon.apply, "t").build()
    query = "where can I find a restroom around here"
    before, after = search(small_index, query, language="en"), search(index, query, language="en")
    assert after.hits[0].faq_id == "restroom"
    assert after.hits[0].dense > before.hits[0].dense and after.relevance > before.relevance


def test_a_question_in_the_visitors_language_is_judged_on_its_own_scale(
    entries: tuple[FaqEntry, ...], lexicon: Lexicon, encoder: Encoder
) -> None:
    chinese = {
        "parking": Translation("zh", "停车场在哪里？"),
        "refund": Translation("zh", "门票可以退款吗？"),
        "restroom": Translation("zh", "洗手间在哪里？"),
    }
    translated = [replace(e, translations=(chinese[e.id],)) if e.id in chinese else e for e in entries]
    index = FaqIndex(translated, encoder, content_morphemes, RetrievalConfig(), lexicon.apply, "t").build()
    languages = index.text_languages
    assert len(languages) == len(index.owners)
    rows = np.flatnonzero(languages == "zh")
    assert sorted(index.entries[i].id for i in index.owners[rows]) == sorted(chinese)
    assert (index.fields[rows] == FIELD_QUESTION).all()
    # Chinese questions sit close to each other on e5's scale whatever they ask ("…在哪里？"): an
    # unrelated one is not made relevant by them, while one that asks the FAQ is.
    assert search(index, "北京的烤鸭店在哪里？", language="zh").decision == "fallback"
    asked = search(index, "请问停车场在什么地方？", language="zh")
    assert asked.decision != "fallback" and asked.hits[0].faq_id == "parking"
