"""Calendar status and places in what visitors see: greeting, fallback, answers (web and Kakao),
"언제 해요?"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import unquote

from fastapi.testclient import TestClient

from bot.app import create_app
from bot.chat import render
from bot.chat.kakao import skill_response
from bot.chat.models import ChatReply
from bot.runtime import Runtime
from bot.tenancy import load_tenant_settings
from retrieval import FaqEntry

ROOT = Path(__file__).resolve().parents[2]
MUDFEST = load_tenant_settings(ROOT / "data" / "tenants" / "seohae-mudfest" / "tenant.yml")


def test_greeting_counts_down_and_fallback_gives_todays_hours() -> None:
    greeting = render.greeting_messages(MUDFEST, dt.date(2026, 6, 24))[0].text
    assert greeting.splitlines() == [
        MUDFEST.greeting,
        "서해 머드축제까지 D-23! 2026년 7월 17일(금)부터 7월 26일(일)까지 열려요.",
    ]
    fallback = render.fallback_messages(MUDFEST, dt.date(2026, 7, 19))[0].text
    assert (
        fallback.splitlines()[1] == f"오늘은 서해 머드축제 3일째예요. 오늘 운영시간: {MUDFEST.calendar.hours}"
    )  # type: ignore[union-attr]


def test_over_festival_announces_next_year() -> None:
    greeting = render.greeting_messages(MUDFEST, dt.date(2026, 11, 25))[0].text
    assert greeting.endswith(
        "2027 서해 머드축제는 2027년 7월 중순 개최 예정이에요 (세부 일정은 홈페이지 공지)."
    )


def test_answer_with_a_place_has_a_map_link() -> None:
    entry = FaqEntry(
        "venue-location",
        "일반",
        "축제 장소가 어디인가요?",
        "한내해수욕장 일원입니다.",
        link="https://x.example",
    )
    message = render.answer_messages(MUDFEST, entry)[0]
    assert (
        message.text
        == "한내해수욕장 일원입니다.\n📍 한내해수욕장·한내광장 일원 (충청남도 보령시 한내해수욕장 일원)"
    )
    assert [b.title for b in message.buttons] == ["자세히 보기", "지도 보기"]
    url = message.buttons[1].payload
    assert url.startswith("https://map.kakao.com/?q=")
    assert unquote(url.split("=", 1)[1]) == "충청남도 보령시 한내해수욕장 일원 한내해수욕장·한내광장 일원"


def test_answer_without_a_place_is_unchanged() -> None:
    entry = FaqEntry("shower", "편의시설", "샤워장?", "샤워장은 광장 옆입니다.")
    assert render.answer_messages(MUDFEST, entry)[0].text == "샤워장은 광장 옆입니다."


def test_when_question_is_answered_from_the_calendar(runtime: Runtime) -> None:
    with TestClient(create_app(runtime.settings, runtime)) as client:
        reply = client.post("/api/v1/chat", json={"tenant": "seohae-mudfest", "message": "언제 해요?"}).json()
    if runtime.search("seohae-mudfest", "언제 해요?").decision == "fallback":  # the calendar answers
        assert reply["decision"] == "dialogue"
        assert reply["messages"][0]["text"].startswith(
            "서해 머드축제는 2026년 7월 17일(금)부터 7월 26일(일)까지"
        )
    else:
        assert reply["decision"] in ("answer", "suggest")


def test_kakao_shows_the_map_link_as_a_card_button() -> None:
    entry = FaqEntry("venue-location", "일반", "축제 장소가 어디인가요?", "한내해수욕장 일원입니다.")
    reply = ChatReply(
        session_id="s", decision="answer", faq_id=entry.id, messages=render.answer_messages(MUDFEST, entry)
    )
    card = skill_response(reply)["template"]["outputs"][0]["basicCard"]
    assert [(b["label"], b["action"]) for b in card["buttons"]] == [("지도 보기", "webLink")]
    assert card["buttons"][0]["webLinkUrl"] == MUDFEST.places["venue-location"].map_url
