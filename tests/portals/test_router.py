"""Routing a portal's questions: names win, close calls ask, the choice is remembered."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.chat import payloads
from bot.portals import (
    Evidence,
    PortalCase,
    PortalRouter,
    PortalSession,
    Routing,
    decide,
    evaluate_routing,
    read_portal_cases,
)
from bot.portals.router import shares_topic
from bot.tenancy.mentions import MentionFinder
from retrieval import FaqEntry, Hit, SearchResult


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("가람대 주차 등록 어떻게 해요", ["gaeram-univ"]),
        ("남강등불축제 입장권 가격", ["namgang-lantern"]),
        ("남강 등불 축제 입장권", ["namgang-lantern"]),
        ("머드축제랑 유등축제 둘 다 가요", ["seohae-mudfest", "namgang-lantern"]),
        ("주차 요금 얼마예요", []),
        ("서해머드축제랑 남강 등불 축제", ["seohae-mudfest", "namgang-lantern"]),
        ("올해머드축제 언제야", ["seohae-mudfest"]),
        ("등축제 언제 해요", ["namgang-lantern"]),
        # Short names only at a word's start and as written: these are other words.
        ("화장실은 산책로 등 축제장 곳곳에 있어요", []),
        ("연등축제는 언제예요", []),
        ("가 람 대 주차", []),
        # As each tenant.yml translates its short name.
        ("Seohae Mud Festival tickets", ["seohae-mudfest"]),
        ("西海泥浆节门票多少钱", ["seohae-mudfest"]),
        ("カラム大学の寮", ["gaeram-univ"]),
        ("is the mud festival fun", []),
    ],
)
def test_mentions(router: PortalRouter, text: str, expected: list[str]) -> None:
    assert MentionFinder(router.portal("all").tenants).find(text) == expected


@pytest.mark.parametrize(
    ("text", "tenant", "expected"),
    [
        ("머드축제 주차 어디", "seohae-mudfest", "주차 어디"),
        ("올해머드축제 언제야", "seohae-mudfest", "올해 언제야"),
        ("남강 등불 축제 입장권 가격", "namgang-lantern", "입장권 가격"),
        ("머드축제랑 유등축제 둘 다 가요", "namgang-lantern", "머드축제랑 둘 다 가요"),  # only its own names
        ("머드축제 주차 어디", "gaeram-univ", "머드축제 주차 어디"),
        ("머드축제!!", "seohae-mudfest", "머드축제!!"),  # nothing would be left
    ],
)
def test_without_the_tenants_own_names(router: PortalRouter, text: str, tenant: str, expected: str) -> None:
    assert MentionFinder(router.portal("all").tenants).without(text, tenant) == expected


def test_named_tenant_wins(router: PortalRouter) -> None:
    routed = router.route("jinju", "가람대 학생증 재발급 어떻게 해요?")
    assert (routed.reason, routed.tenant, routed.session.tenant) == ("mention", "gaeram-univ", "gaeram-univ")
    assert routed.result is not None and routed.result.best is not None
    assert routed.result.best.faq_id == "student-id-reissue"


def test_distinct_topic_is_inferred(router: PortalRouter) -> None:
    routed = router.route("jinju", "유등 띄우기 체험 신청은 어떻게 해요?")
    assert (routed.reason, routed.tenant) == ("inferred", "namgang-lantern")


def test_clarify_then_choice_then_remembered(router: PortalRouter) -> None:
    question = "주차 요금 얼마예요?"
    asked = router.route("jinju", question)
    assert asked.reason == "ambiguous" and asked.tenant is None
    assert set(asked.clarify) == {"gaeram-univ", "namgang-lantern"}
    assert asked.session == PortalSession(tenant=None, pending=question)

    chosen = router.route("jinju", payloads.choose_tenant("namgang-lantern"), asked.session)
    assert (chosen.reason, chosen.tenant, chosen.query) == ("choice", "namgang-lantern", question)
    assert chosen.result is not None and chosen.result.best is not None
    assert chosen.result.best.faq_id == "parking-fee"
    assert chosen.session == PortalSession(tenant="namgang-lantern")

    # A question both could answer now goes to the remembered tenant without asking again.
    follow_up = router.route("jinju", "분실물 센터 어디예요?", chosen.session)
    assert (follow_up.reason, follow_up.tenant) == ("remembered", "namgang-lantern")
    assert follow_up.result is not None and follow_up.result.best is not None
    assert follow_up.result.best.faq_id == "lost-and-found"


def test_naming_another_tenant_switches(router: PortalRouter) -> None:
    session = PortalSession(tenant="namgang-lantern")
    switched = router.route("jinju", "가람대 분실물 센터 어디예요?", session)
    assert (switched.reason, switched.tenant, switched.session.tenant) == (
        "mention",
        "gaeram-univ",
        "gaeram-univ",
    )
    again = router.route("jinju", "분실물 센터 어디예요?", switched.session)
    assert (again.reason, again.tenant) == ("remembered", "gaeram-univ")


def test_bare_choice_greets_as_the_tenant(router: PortalRouter) -> None:
    routed = router.route("all", payloads.choose_tenant("seohae-mudfest"))
    assert (routed.reason, routed.tenant, routed.result) == ("choice", "seohae-mudfest", None)


def test_choice_outside_the_portal_asks_again(router: PortalRouter) -> None:
    routed = router.route("jinju", payloads.choose_tenant("seohae-mudfest"), PortalSession(pending="주차"))
    assert routed.reason == "ambiguous" and routed.tenant is None
    assert routed.clarify == ("gaeram-univ", "namgang-lantern")


@pytest.mark.parametrize("text", ["내일 서울 날씨 어때?", "비트코인 시세 알려줘"])
def test_out_of_scope_for_the_whole_portal(router: PortalRouter, text: str) -> None:
    routed = router.route("jinju", text)
    assert (routed.reason, routed.tenant, routed.clarify) == ("fallback", None, ())
    # Its tenant buttons still work: the choice searches that tenant for the question.
    chosen = router.route("jinju", payloads.choose_tenant("gaeram-univ"), routed.session)
    assert (chosen.reason, chosen.tenant, chosen.query) == ("choice", "gaeram-univ", text)


def test_a_tenant_outside_the_portal_is_not_guessed(router: PortalRouter) -> None:
    routed = router.route("jinju", "머드축제 입장료 얼마예요?")
    assert (routed.reason, routed.tenant, routed.clarify) == ("fallback", None, ())
    assert router.route("all", "머드축제 입장료 얼마예요?").tenant == "seohae-mudfest"


def test_evaluate_routing(router: PortalRouter, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(
        "portal,query,tenant,faq_id\n"
        "jinju,가람대 학생증 재발급 어떻게 해요?,gaeram-univ,student-id-reissue\n"
        "jinju,주차 요금 얼마예요?,,\n"
        "jinju,유등 띄우기 체험 신청은 어떻게 해요?,gaeram-univ,\n"
        "all,이 줄은 다른 포털,seohae-mudfest,\n",
        encoding="utf-8",
    )
    cases = read_portal_cases(path, "jinju")
    assert cases[1] == PortalCase("주차 요금 얼마예요?", None)
    report = evaluate_routing(router, "jinju", cases)
    assert (report.queries, report.tenant_accuracy, report.asked_when_ambiguous) == (3, 0.5, 1.0)
    assert report.accuracy == pytest.approx(2 / 3)
    assert report.top1 == 1.0
    assert report.misses == [
        {"query": "유등 띄우기 체험 신청은 어떻게 해요?", "gold": "gaeram-univ", "got": "namgang-lantern"}
    ]


def _evidence(relevance: float, share: float, topics: list[list[float]], dense: float = 0.95) -> Evidence:
    hits = tuple(
        Hit(FaqEntry(f"faq-{i}", "분류", "질문", "답변"), 0.5, dense, 0.0) for i in range(len(topics))
    )
    result = SearchResult("질문", "suggest", hits, relevance=relevance)
    return Evidence(result, share, np.array(topics, dtype=np.float32))


def test_a_topic_both_tenants_hold_is_asked_even_with_a_clear_lead() -> None:
    routing = Routing()
    pets, parking = [1.0, 0.0], [0.0, 1.0]
    lead = {"a": _evidence(0.95, 0.9, [pets]), "b": _evidence(0.7, 0.1, [parking])}
    assert decide(routing, lead) == ("a", ())
    shared = {"a": _evidence(0.95, 0.9, [pets]), "b": _evidence(0.7, 0.1, [parking, pets])}
    assert decide(routing, shared) == (None, ("a", "b"))
    # A twin FAQ that does not match the question itself (0.85: only the same domain on e5's
    # scale) is no shared topic.
    weak = {"a": _evidence(0.95, 0.9, [pets]), "b": _evidence(0.7, 0.1, [pets], dense=0.85)}
    assert decide(routing, weak) == ("a", ())


def test_below_the_floor_a_shared_topic_asks_and_anything_else_falls_back() -> None:
    routing = Routing()
    parking, weather = [0.0, 1.0], [1.0, 0.0]
    shared = {"a": _evidence(0.4, 0.5, [parking]), "b": _evidence(0.3, 0.5, [parking])}
    assert decide(routing, shared) == (None, ("a", "b"))
    unrelated = {"a": _evidence(0.4, 0.5, [parking]), "b": _evidence(0.3, 0.5, [weather])}
    assert decide(routing, unrelated) == (None, ())


def test_the_router_compares_the_tenants_own_faqs(router: PortalRouter) -> None:
    evidence = router.evidence("all", "축제장 주차장 어디 있어요?")
    mud, lantern = evidence["seohae-mudfest"], evidence["namgang-lantern"]
    assert len(mud.topics) == 3 and np.allclose(np.linalg.norm(mud.topics, axis=1), 1.0, atol=1e-4)
    assert shares_topic(Routing(), mud, lantern)
    assert not shares_topic(Routing(), mud, evidence["gaeram-univ"])


def test_a_name_two_tenants_share_names_both(router: PortalRouter) -> None:
    mud, lantern = (router.runtime.tenant(t) for t in ("seohae-mudfest", "namgang-lantern"))
    shared = [t.model_copy(update={"aliases": ("여름축제",)}) for t in (mud, lantern)]
    assert MentionFinder(shared).find("여름축제 주차") == ["namgang-lantern", "seohae-mudfest"]


def test_foreign_questions_are_routed_on_relevance_alone() -> None:
    routing = Routing(topic_weight=0.6, margin=0.56, floor=0.9, foreign_floor=0.6, foreign_margin=0.2)
    assert routing.for_language("ko") == routing
    assert (routing.for_language("en").floor, routing.for_language("en").margin) == (0.6, 0.2)
