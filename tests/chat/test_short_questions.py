"""Questions as visitors type them on a phone: a keyword or two, often after the festival's name."""

from __future__ import annotations

import copy

from bot.runtime import Runtime
from retrieval import search

LANTERN = "namgang-lantern"


def test_the_tenants_own_name_ranks_no_faq_first(runtime: Runtime) -> None:
    """Visitors type the festival's name before their question; the FAQs that repeat the name (its
    dates, its venue) must not outrank the one the rest of the question asks for."""
    tenant, question = LANTERN, "등불축제 주차 어디"
    index = runtime.index(tenant)
    as_typed = search(index, runtime.normalise(tenant, question))
    assert as_typed.hits[0].faq_id == "festival-dates"  # what the name alone would rank first

    result = runtime.search(tenant, question)
    assert result.hits[0].faq_id == "parking-location"
    assert result.decision != "fallback"
    # The name is still evidence that the question is about this festival.
    assert result.relevance > runtime.search(tenant, "주차 어디").relevance


def test_two_words_close_to_a_faqs_question_are_offered_it(runtime: Runtime) -> None:
    """ "주차 어디" gives the relevance model little (two words, one BM25 term) but sits as close to
    "축제장 근처에 주차할 곳이 있나요?" as paraphrases do: offered, not a fallback."""
    index = runtime.index(LANTERN)
    result = runtime.search(LANTERN, "주차 어디")
    assert result.hits[0].faq_id == "parking-location"
    assert result.relevance < index.profile.thresholds.suggest  # the relevance model alone: fallback
    assert result.decision == "suggest"
    # Off-topic questions stay below the rule.
    assert runtime.search(LANTERN, "해운대 바다 보러 가는데 주차 어디가 편해?").decision == "fallback"


def test_while_bm25_serves_alone_the_name_still_finds_the_faq(runtime: Runtime) -> None:
    """Before its e5 vectors are built an index serves on BM25 alone, where the tenant's name is
    often the one word that finds the FAQ: it is not taken out then."""
    lexical = copy.copy(runtime.index(LANTERN))
    lexical.has_dense = False
    runtime.swap(LANTERN, lexical)
    result = runtime.search(LANTERN, "등불축제 언제 해요?")
    assert result.hits[0].faq_id == "festival-dates"
    assert result.decision != "fallback"
