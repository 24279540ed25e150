"""POST /api/v1/chat and GET /api/v1/tenants/{id} over the real demo indexes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.chat.payloads import choose_faq, feedback
from bot.runtime import Runtime

MUD = "seohae-mudfest"
ERROR_KEYS = {"code", "message", "message_en"}


# Vague and off-topic questions (written for these tests); which of them the engine answers,
# suggests or refuses moves as retrieval is tuned, so tests pick by the engine's own decision.
VAGUE = ("축제 언제 해요?", "셔틀버스 타는 곳이 어디예요?", "머드 체험 가격", "표", "버스 시간", "공연 순서")
OFF_TOPIC = (
    "내일 서울 주식 시장 전망 알려줘",
    "양자역학 강의 추천해 줘",
    "오늘 저녁 메뉴 골라 줘",
    "노트북 수리",
)


def queries_with(runtime: Runtime, decision: str, candidates: tuple[str, ...], n: int = 1) -> list[str]:
    found = [q for q in candidates if runtime.search(MUD, q).decision == decision]
    assert len(found) >= n, f"no {decision} among {candidates}: retrieval changed, update the candidates"
    return found[:n]


def chat(client: TestClient, message: str, session_id: str | None = None, tenant: str = MUD) -> dict:
    response = client.post(
        "/api/v1/chat", json={"tenant": tenant, "session_id": session_id, "message": message}
    )
    assert response.status_code == 200, response.text
    return response.json()


def assert_error(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS
    return body["error"]


def test_a_faq_question_is_answered_with_link_and_feedback_buttons(client: TestClient) -> None:
    reply = chat(client, "2026 서해 머드축제는 언제 열리나요?")
    assert reply["decision"] == "answer" and reply["faq_id"] == "festival-dates"
    assert len(reply["session_id"]) == 32
    answer, question = reply["messages"]
    assert answer["text"].startswith("2026 서해 머드축제는 7월 17일(금)부터")
    assert answer["buttons"] == [{"title": "자세히 보기", "payload": "https://mudfest.example/info/overview"}]
    assert question == {
        "text": "도움이 되었나요?",
        "buttons": [
            {"title": "👍 네", "payload": '/feedback{"faq_id":"festival-dates","helpful":true}'},
            {"title": "👎 아니요", "payload": '/feedback{"faq_id":"festival-dates","helpful":false}'},
        ],
    }


def test_a_suggestion_button_payload_selects_that_faq_in_the_same_session(
    client: TestClient, app_runtime: Runtime
) -> None:
    (vague,) = queries_with(app_runtime, "suggest", VAGUE)
    first = chat(client, vague)
    assert first["decision"] == "suggest" and first["faq_id"] is None
    (offer,) = first["messages"]
    assert offer["text"] == "혹시 이 중에 찾으시는 질문이 있나요?"
    assert 1 <= len(offer["buttons"]) <= 3
    chosen = offer["buttons"][0]
    faq_id = json.loads(chosen["payload"].removeprefix("/choose_faq"))["faq_id"]
    second = chat(client, chosen["payload"], first["session_id"])
    assert (second["session_id"], second["decision"], second["faq_id"]) == (
        first["session_id"],
        "answer",
        faq_id,
    )


def test_typing_an_offered_button_title_selects_it(client: TestClient) -> None:
    greeting = chat(client, "안녕하세요")
    assert greeting["decision"] == "dialogue"
    assert [b["title"] for b in greeting["messages"][0]["buttons"]] == [
        "입장권",
        "체험",
        "교통",
        "먹거리",
        "편의시설",
    ]
    assert greeting["messages"][0]["buttons"][2]["payload"] == "교통 안내"
    # "교통" alone would be a different query than the button's "교통 안내".
    direct = chat(client, "교통 안내")
    typed = chat(client, "교통", greeting["session_id"])
    assert (typed["decision"], typed["faq_id"]) == (direct["decision"], direct["faq_id"])


@pytest.mark.parametrize(("helpful", "first_text"), [(True, "의견 감사합니다!"), (False, "더 정확한 답을")])
def test_feedback_is_a_dialogue_turn(client: TestClient, helpful: bool, first_text: str) -> None:
    reply = chat(client, feedback("festival-dates", helpful))
    assert (reply["decision"], reply["faq_id"]) == ("dialogue", "festival-dates")
    assert reply["messages"][0]["text"].startswith(first_text)
    assert ("041-930-3800" in json.dumps(reply, ensure_ascii=False)) is (not helpful)


def test_unknown_faq_choice_falls_back(client: TestClient) -> None:
    reply = chat(client, choose_faq("no-such-faq"))
    assert reply["decision"] == "fallback"


def test_second_fallback_in_a_row_hands_off_to_the_contacts(client: TestClient, app_runtime: Runtime) -> None:
    one, two = queries_with(app_runtime, "fallback", OFF_TOPIC, n=2)
    first = chat(client, one)
    assert first["decision"] == "fallback"
    assert "종합안내소(041-930-3811)" in first["messages"][0]["text"]
    assert len(first["messages"]) == 1
    second = chat(client, two, first["session_id"])
    assert second["decision"] == "fallback"
    handoff = second["messages"][-1]["text"]
    assert "담당자에게 직접 문의" in handoff
    assert "· 종합안내소 041-930-3811 (축제 기간 10:00–22:00)" in handoff
    assert "· 축제 운영사무국 041-930-3800 (평일 09:00–18:00)" in handoff


def test_user_text_is_never_echoed(client: TestClient) -> None:
    attack = "<img src=x onerror=alert(1)>"
    reply = client.post("/api/v1/chat", json={"tenant": MUD, "session_id": None, "message": attack})
    assert reply.status_code == 200 and "<img" not in reply.text
    too_long = client.post("/api/v1/chat", json={"tenant": MUD, "message": attack * 40})
    assert too_long.status_code == 422 and "<img" not in too_long.text
    bad_tenant = client.post("/api/v1/chat", json={"tenant": attack, "message": "안녕"})
    assert bad_tenant.status_code == 422 and "<img" not in bad_tenant.text


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"tenant": "no-such-fest", "message": "안녕"}, 404, "unknown_tenant"),
        ({"tenant": MUD, "message": ""}, 422, "invalid_message"),
        ({"tenant": MUD, "message": "   \n "}, 422, "invalid_message"),
        ({"tenant": MUD, "message": "가" * 1001}, 422, "invalid_message"),
        ({"tenant": MUD}, 422, "invalid_request"),
        ({"tenant": MUD, "message": "안녕", "session_id": "../../etc"}, 422, "invalid_request"),
    ],
)
def test_errors_have_the_one_json_shape(client: TestClient, body: dict, status: int, code: str) -> None:
    error = assert_error(client.post("/api/v1/chat", json=body), status)
    assert error["code"] == code


def test_a_message_of_exactly_1000_characters_is_accepted(client: TestClient) -> None:
    assert chat(client, "주차 " * 333 + "가")["decision"] in {"answer", "suggest", "fallback"}


def test_bodies_over_16_kb_are_refused_before_parsing(client: TestClient) -> None:
    big = json.dumps({"tenant": MUD, "message": "x", "pad": "a" * 17_000})
    error = assert_error(
        client.post("/api/v1/chat", content=big, headers={"content-type": "application/json"}), 413
    )
    assert error["code"] == "request_too_large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit must hold while streaming
        yield b'{"tenant": "seohae-mudfest", "message": "'
        for _ in range(20):
            yield b"a" * 1024
        yield b'"}'

    streamed = client.post("/api/v1/chat", content=chunks(), headers={"content-type": "application/json"})
    assert_error(streamed, 413)


def test_rate_limit_per_session_answers_429_with_retry_after(app_with_limits: Callable[..., FastAPI]) -> None:
    with TestClient(app_with_limits(session_burst=2, session_per_minute=6)) as client:
        session = chat(client, "안녕하세요")["session_id"]
        chat(client, "안녕하세요", session)
        chat(client, "안녕하세요", session)
        limited = client.post("/api/v1/chat", json={"tenant": MUD, "session_id": session, "message": "안녕"})
        error = assert_error(limited, 429)
        assert error["message"] == "요청이 너무 많습니다. 잠시 후 다시 시도해 주세요."
        assert 1 <= int(limited.headers["retry-after"]) <= 10
        assert chat(client, "안녕하세요")["decision"] == "dialogue"  # a new session is not limited


def test_rate_limit_per_client_address(app_with_limits: Callable[..., FastAPI]) -> None:
    with TestClient(app_with_limits(client_burst=3, client_per_minute=1)) as client:
        for _ in range(3):
            chat(client, "안녕하세요")
        assert_error(client.post("/api/v1/chat", json={"tenant": MUD, "message": "안녕"}), 429)


def test_limits_can_be_switched_off(app_with_limits: Callable[..., FastAPI]) -> None:
    with TestClient(app_with_limits(enabled=False, client_burst=1)) as client:
        for _ in range(3):
            chat(client, "안녕하세요")


def test_cors_allows_only_the_origins_tenants_list(client: TestClient) -> None:
    preflight = {"access-control-request-method": "POST", "access-control-request-headers": "content-type"}
    ok = client.options("/api/v1/chat", headers={"origin": "https://mudfest.example", **preflight})
    assert ok.status_code == 204
    assert ok.headers["access-control-allow-origin"] == "https://mudfest.example"
    denied = client.options("/api/v1/chat", headers={"origin": "https://evil.example", **preflight})
    assert denied.status_code == 403 and "access-control-allow-origin" not in denied.headers

    body = {"tenant": MUD, "message": "안녕하세요"}
    own = client.post("/api/v1/chat", json=body, headers={"origin": "https://mudfest.example"})
    assert own.status_code == 200 and own.headers["access-control-allow-origin"] == "https://mudfest.example"
    # Another tenant's page may pass the preflight but may not speak as this tenant's widget.
    other = client.post("/api/v1/chat", json=body, headers={"origin": "https://lanternfest.example"})
    assert assert_error(other, 403)["code"] == "origin_not_allowed"
    same_origin = client.post("/api/v1/chat", json=body, headers={"origin": "http://testserver"})
    assert same_origin.status_code == 200


def test_public_tenant_settings(client: TestClient) -> None:
    response = client.get("/api/v1/tenants/namgang-lantern")
    assert response.status_code == 200
    tenant = response.json()
    assert tenant["display_name"] == "2026 남강 등불축제" or tenant["display_name"].endswith("등불축제")
    assert tenant["theme_color"].startswith("#") and tenant["top_categories"]
    assert tenant["greeting_messages"][0]["text"].startswith(tenant["greeting"])
    assert "contacts" not in tenant and "origins" not in tenant
    assert_error(client.get("/api/v1/tenants/no-such-fest"), 404)


def test_openapi_documents_the_chat_contract_in_korean(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/api/v1/chat"]["post"]
    examples = operation["requestBody"]["content"]["application/json"]["examples"]
    assert examples["question"]["value"]["message"] == "셔틀버스 타는 곳이 어디예요?"
    assert {"404", "413", "422", "429"} <= set(operation["responses"])
    assert "/kakao/{tenant_id}/skill" in spec["paths"] and "/api/v1/tenants/{tenant_id}" in spec["paths"]
    assert client.get("/docs").status_code == 200


def test_security_headers(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "script-src 'self'" in page.headers["content-security-policy"]
    api = client.get("/api/v1/tenants/gaeram-univ")
    assert api.headers["x-content-type-options"] == "nosniff"
