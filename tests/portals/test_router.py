"""Routing a portal's questions: names win, close calls ask, the choice is remembered."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.chat import payloads
from bot.portals import PortalCase, PortalRouter, PortalSession, evaluate_routing, read_portal_cases
from bot.portals.mentions import MentionFinder


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("가람대 주차 등록 어떻게 해요", ["gaeram-univ"]),
        ("남강등불축제 입장권 가격", ["namgang-lantern"]),
        ("남강 등불 축제 입장권", ["namgang-lantern"]),
        ("머드축제랑 유등축제 둘 다 가요", ["seohae-mudfest", "namgang-lantern"]),
        ("주차 요금 얼마예요", []),
    ],
)
def test_mentions(router: PortalRouter, text: str, expected: list[str]) -> None:
    assert MentionFinder(router.portal("all").tenants).find(text) == expected


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
