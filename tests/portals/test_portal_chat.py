"""Portal routing through the chat API, the widget settings endpoint and the Kakao skill."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.chat import payloads
from bot.i18n.catalogue import CATALOGUE

CHAT = "/api/v1/chat"
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def say(
    client: TestClient,
    message: str,
    session_id: str | None = None,
    tenant: str = "jinju",
    language: str | None = None,
) -> dict[str, Any]:
    body = {"tenant": tenant, "session_id": session_id, "message": message, "language": language}
    response = client.post(CHAT, json=body)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def offered(reply: dict[str, Any]) -> list[str]:
    return [b["payload"] for m in reply["messages"] for b in m["buttons"]]


def test_named_tenant_is_answered_as_that_tenant(client: TestClient) -> None:
    reply = say(client, "가람대 학생증 재발급 어떻게 해요?")
    assert reply["decision"] in ("answer", "suggest")
    assert reply["faq_id"] == "student-id-reissue" or payloads.choose_faq("student-id-reissue") in offered(
        reply
    )


def test_clarify_choose_and_remember(client: TestClient) -> None:
    asked = say(client, "주차 요금 얼마예요?")
    assert asked["decision"] == "dialogue"
    assert offered(asked) == [
        payloads.choose_tenant("gaeram-univ"),
        payloads.choose_tenant("namgang-lantern"),
    ]
    session = asked["session_id"]

    chosen = say(client, payloads.choose_tenant("namgang-lantern"), session)
    assert chosen["session_id"] == session
    assert chosen["messages"][0]["text"] == "남강 등불축제 안내로 연결했어요."
    assert chosen["faq_id"] == "parking-fee" or payloads.choose_faq("parking-fee") in offered(chosen)

    # Remembered: the next question both could answer is the festival's, without asking.
    follow_up = say(client, "분실물 센터 어디예요?", session)
    assert "안내로 연결했어요" not in follow_up["messages"][0]["text"]
    assert follow_up["faq_id"] == "lost-and-found" or payloads.choose_faq("lost-and-found") in offered(
        follow_up
    )

    # Naming the university switches, and the switch is remembered too.
    switched = say(client, "가람대 분실물 센터 어디예요?", session)
    assert switched["messages"][0]["text"] == "가람대학교 안내로 연결했어요."
    assert switched["faq_id"] == "lost-found" or payloads.choose_faq("lost-found") in offered(switched)
    again = say(client, "분실물 센터 어디예요?", session)
    assert again["faq_id"] == "lost-found" or payloads.choose_faq("lost-found") in offered(again)


def test_faq_buttons_go_to_the_remembered_tenant(client: TestClient) -> None:
    session = say(client, payloads.choose_tenant("namgang-lantern"))["session_id"]
    reply = say(client, payloads.choose_faq("bridge-fee"), session)
    assert (reply["decision"], reply["faq_id"]) == ("answer", "bridge-fee")


def test_out_of_scope_gives_the_portals_own_contact(client: TestClient) -> None:
    reply = say(client, "내일 서울 날씨 어때?")
    assert reply["decision"] == "fallback"
    assert "055-749-2000" in reply["messages"][0]["text"]


def test_a_tenant_outside_the_portal_gets_whom_to_ask(client: TestClient) -> None:
    reply = say(client, "머드축제 입장료 얼마예요?")
    assert reply["decision"] == "fallback" and offered(reply) == []
    (message,) = reply["messages"]
    assert message["text"].startswith("서해 머드축제에 관한 질문은 진주시 대학·축제 통합 안내에서")
    assert "041-930-3811" in message["text"] and "055-749-2000" not in message["text"]


def test_portal_greeting_offers_its_tenants(client: TestClient) -> None:
    reply = say(client, "안녕하세요", tenant="all")
    assert reply["decision"] == "dialogue"
    assert len(offered(reply)) == 3


def test_widget_settings_of_a_portal(client: TestClient) -> None:
    body = client.get("/api/v1/tenants/jinju").json()
    assert (body["kind"], body["top_categories"]) == ("portal", ["가람대학교", "남강 등불축제"])
    assert [b["payload"] for b in body["greeting_messages"][0]["buttons"]] == [
        payloads.choose_tenant("gaeram-univ"),
        payloads.choose_tenant("namgang-lantern"),
    ]


def test_portal_origins_are_checked(client: TestClient) -> None:
    response = client.post(
        CHAT, json={"tenant": "jinju", "message": "안녕"}, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 403


def test_kakao_skill_accepts_a_portal(client: TestClient) -> None:
    body = {"userRequest": {"utterance": "주차 요금 얼마예요?", "user": {"id": "kakao-user-1"}}}
    response = client.post("/kakao/jinju/skill", json=body)
    assert response.status_code == 200
    replies = response.json()["template"]["quickReplies"]
    assert [r["label"] for r in replies] == ["가람대학교", "남강 등불축제"]


def test_kakao_quick_reply_title_answers_the_waiting_question(client: TestClient) -> None:
    user = {"id": "kakao-user-2"}
    ask = {"userRequest": {"utterance": "주차 요금 얼마예요?", "user": user}}
    assert client.post("/kakao/jinju/skill", json=ask).status_code == 200
    tap = {"userRequest": {"utterance": "남강 등불축제", "user": user}}
    outputs = client.post("/kakao/jinju/skill", json=tap).json()["template"]["outputs"]
    texts = [o.get("simpleText", {}).get("text") or o["basicCard"]["description"] for o in outputs]
    assert texts[0] == "남강 등불축제 안내로 연결했어요."
    assert any("주차" in t for t in texts[1:])


def test_kakao_quick_reply_titles_in_english_act_as_clicks(client: TestClient) -> None:
    user = {"id": "kakao-user-3"}
    hello = {"userRequest": {"utterance": "hello", "user": user, "lang": "en"}}
    replies = client.post("/kakao/jinju/skill", json=hello).json()["template"]["quickReplies"]
    # Kakao cuts a label at 14 characters; the message sent back is the whole title.
    assert [r["messageText"] for r in replies] == ["Gaeram University", "Namgang Lantern Festival"]
    tap = {"userRequest": {"utterance": replies[1]["messageText"], "user": user, "lang": "en"}}
    outputs = client.post("/kakao/jinju/skill", json=tap).json()["template"]["outputs"]
    assert outputs[0]["simpleText"]["text"] == "Here is the Namgang Lantern Festival guide."


def test_unknown_portal_or_tenant_is_404(client: TestClient) -> None:
    response = client.post(CHAT, json={"tenant": "busan", "message": "안녕"})
    assert response.status_code == 404


def test_a_foreign_visitor_is_greeted_and_thanked_in_their_language(client: TestClient) -> None:
    reply = say(client, "hi", language="en-US")
    assert (reply["language"], reply["decision"]) == ("en", "dialogue")
    (greeting,) = reply["messages"]
    assert greeting["text"].startswith("Hello! I am the Jinju City guide.")
    assert [b["title"] for b in greeting["buttons"]] == ["Gaeram University", "Namgang Lantern Festival"]
    reply = say(client, "谢谢", reply["session_id"])
    assert (reply["language"], reply["messages"][0]["text"]) == ("zh", CATALOGUE["welcome"]["zh"])


@pytest.mark.parametrize(
    ("question", "language", "tenant", "note"),
    [
        (
            "What time does the library close?",
            "en",
            "gaeram-univ",
            "Here is the Gaeram",
        ),
        ("学校图书馆周六几点关门？", "zh", "gaeram-univ", "已为您转接嘉蓝大学"),
        (
            "When do they light the lanterns on the river each evening?",
            "en",
            "namgang-lantern",
            "Here is the Namgang",
        ),
    ],
)
def test_a_foreign_question_is_routed_and_answered_in_its_language(
    client: TestClient, question: str, language: str, tenant: str, note: str
) -> None:
    """Routed on the tenants' searches in the question's language (a Korean search of it finds
    nothing, and the Korean topic words say nothing of it)."""
    reply = say(client, question)
    assert reply["language"] == language
    assert reply["decision"] in ("answer", "suggest")
    assert reply["messages"][0]["text"].startswith(note)
    assert not HANGUL.search(" ".join(m["text"] for m in reply["messages"][:2]))


def test_a_foreign_off_topic_question_gets_the_portals_fallback_in_its_language(client: TestClient) -> None:
    reply = say(client, "can you recommend a good laptop for gaming")
    assert (reply["language"], reply["decision"]) == ("en", "fallback")
    (fallback,) = reply["messages"]
    assert fallback["text"].startswith("Sorry, I could not find an accurate answer.")
    assert "Jinju City Call Center 055-749-2000" in fallback["text"]
    assert [b["title"] for b in fallback["buttons"]] == ["Gaeram University", "Namgang Lantern Festival"]


def test_widget_settings_of_a_portal_in_the_pages_language(client: TestClient) -> None:
    body = client.get("/api/v1/tenants/jinju", params={"lang": "ja-JP"}).json()
    assert (body["language"], body["display_name"]) == ("ja", "晋州市総合案内")
    assert [b["title"] for b in body["greeting_messages"][0]["buttons"]] == [
        "カラム大学",
        "南江灯籠フェスティバル",
    ]


def test_a_korean_visitor_choosing_a_tenant_is_greeted_in_korean(client: TestClient) -> None:
    """The choice sends the tenant "/greet", which is a command, not English."""
    reply = say(client, "안녕하세요")
    reply = say(client, payloads.choose_tenant("namgang-lantern"), reply["session_id"])
    assert (reply["language"], reply["decision"]) == ("ko", "dialogue")
    assert reply["messages"][0]["text"] == "남강 등불축제 안내로 연결했어요."


def test_a_tenants_translated_name_names_it(client: TestClient) -> None:
    reply = say(client, "Seohae Mud Festival ticket prices please")
    assert (reply["language"], reply["decision"]) == ("en", "fallback")
    assert reply["messages"][0]["text"].startswith(
        "Questions about Seohae Mud Festival cannot be answered here"
    )


@pytest.mark.parametrize(
    ("message", "language"), [("ありがとう。", "ja"), ("谢谢！", "zh"), ("감사합니다!!", "ko")]
)
def test_thanks_with_its_punctuation(client: TestClient, message: str, language: str) -> None:
    reply = say(client, message)
    assert (reply["language"], reply["decision"]) == (language, "dialogue")
    assert reply["messages"][0]["text"] == CATALOGUE["welcome"][language]  # type: ignore[index]
