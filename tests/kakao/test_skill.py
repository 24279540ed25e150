"""POST /kakao/{tenant}/skill with request bodies shaped like Open Builder's, and the 2.0 responses."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.app import create_app
from bot.chat.kakao import CARD_DESCRIPTION_MAX, LABEL_MAX, skill_response, truncate
from bot.chat.models import Button, ChatReply, Message
from bot.chat.render import fallback_messages
from bot.runtime import Runtime
from retrieval import Encoder

MUD = "seohae-mudfest"
USER = "a3f5c2e8b1d94f7e8c6b5a4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a"


def skill_request(utterance: str, user_id: str = USER) -> dict[str, Any]:
    """The shape Open Builder posts to a skill server (ids are made up)."""
    return {
        "intent": {"id": "65a1b2c3d4e5f60718293a4b", "name": "폴백 블록", "extra": {"reason": {"code": 1}}},
        "userRequest": {
            "timezone": "Asia/Seoul",
            "params": {"ignoreMe": "true"},
            "block": {"id": "65a1b2c3d4e5f60718293a4b", "name": "폴백 블록"},
            "utterance": utterance,
            "lang": "ko",
            "user": {
                "id": user_id,
                "type": "botUserKey",
                "properties": {"botUserKey": user_id, "isFriend": True, "plusfriendUserKey": "Xy12ab"},
            },
        },
        "bot": {"id": "65a1b2c3d4e5f60718293a00", "name": "서해 머드축제 안내"},
        "action": {
            "name": "faqbot",
            "clientExtra": None,
            "params": {},
            "id": "65a1b2c3d4e5f60718293a11",
            "detailParams": {},
        },
        "contexts": [],
    }


def skill(client: TestClient, utterance: str, user_id: str = USER) -> dict[str, Any]:
    response = client.post(f"/kakao/{MUD}/skill", json=skill_request(utterance, user_id))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["version"] == "2.0"
    template = body["template"]
    assert 1 <= len(template["outputs"]) <= 3
    for reply in template.get("quickReplies", []):
        assert reply["action"] == "message" and len(reply["label"]) <= LABEL_MAX and reply["messageText"]
    return template


def test_answer_with_a_link_is_a_basic_card_with_feedback_quick_replies(client: TestClient) -> None:
    template = skill(client, "2026 서해 머드축제는 언제 열리나요?")
    card, question = template["outputs"]
    assert card["basicCard"]["description"].startswith("2026 서해 머드축제는 7월 17일(금)부터")
    assert len(card["basicCard"]["description"]) <= CARD_DESCRIPTION_MAX
    assert card["basicCard"]["buttons"] == [
        {"action": "webLink", "label": "자세히 보기", "webLinkUrl": "https://mudfest.example/info/overview"}
    ]
    assert question == {"simpleText": {"text": "도움이 되었나요?"}}
    assert [q["label"] for q in template["quickReplies"]] == ["👍 네", "👎 아니요"]
    # The quick reply sends its title; the session maps it back to the feedback payload.
    thanks = skill(client, template["quickReplies"][0]["messageText"])
    assert thanks["outputs"][0]["simpleText"]["text"].startswith("의견 감사합니다")


def test_answer_without_link_is_simple_text(client: TestClient) -> None:
    template = skill(client, "반려동물과 함께 입장할 수 있나요?", user_id="user-pets")
    assert template["outputs"][0]["simpleText"]["text"].startswith("목줄(길이 2m 이하)을 착용한 반려동물은")


def test_suggestions_are_quick_replies_that_select_the_faq(client: TestClient, app_runtime: Runtime) -> None:
    vague = next(
        q
        for q in (
            "축제 언제 해요?",
            "셔틀버스 타는 곳이 어디예요?",
            "머드 체험 가격",
            "버스 시간",
            "공연 순서",
        )
        if app_runtime.search(MUD, q).decision == "suggest"
    )
    template = skill(client, vague, user_id="user-suggest")
    assert template["outputs"] == [{"simpleText": {"text": "혹시 이 중에 찾으시는 질문이 있나요?"}}]
    first = template["quickReplies"][0]
    chosen_faq = app_runtime.search(MUD, vague).hits[0].entry
    assert first["messageText"] == chosen_faq.question  # the full question, the label may be cut
    answer = skill(client, first["messageText"], user_id="user-suggest")
    text = answer["outputs"][0].get("basicCard", answer["outputs"][0].get("simpleText"))
    assert (
        text["description" if "basicCard" in answer["outputs"][0] else "text"][:20] == chosen_faq.answer[:20]
    )


def test_fallback_is_the_tenants_fallback_text(client: TestClient, app_runtime: Runtime) -> None:
    off_topic = next(
        q
        for q in ("내일 서울 주식 시장 전망 알려줘", "양자역학 강의 추천해 줘", "노트북 수리")
        if app_runtime.search(MUD, q).decision == "fallback"
    )
    template = skill(client, off_topic, user_id="user-fallback")
    (fallback,) = fallback_messages(app_runtime.tenant(MUD))
    assert template["outputs"] == [{"simpleText": {"text": fallback.text}}]
    assert "quickReplies" not in template


def test_greeting_offers_categories_as_quick_replies(client: TestClient) -> None:
    template = skill(client, "안녕하세요", user_id="user-hello")
    assert [(q["label"], q["messageText"]) for q in template["quickReplies"]][:2] == [
        ("입장권", "입장권 안내"),
        ("체험", "체험 안내"),
    ]


def test_unknown_tenant_and_malformed_requests(client: TestClient) -> None:
    assert client.post("/kakao/no-such-fest/skill", json=skill_request("안녕")).status_code == 404
    assert client.post(f"/kakao/{MUD}/skill", json={"userRequest": {"utterance": "안녕"}}).status_code == 422


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("짧은 답입니다.", 20, "짧은 답입니다."),
        ("첫 문장입니다. 둘째 문장입니다. 셋째 문장입니다.", 20, "첫 문장입니다. 둘째 문장입니다.…"),
        ("첫 문장입니다. 둘째 문장입니다.", 12, "첫 문장입니다.…"),
        ("띄어쓰기가 있는 아주 긴 한 문장의 답변", 12, "띄어쓰기가 있는…"),
        ("띄어쓰기없는아주긴한문장의답변입니다", 8, "띄어쓰기없는아…"),
    ],
)
def test_truncate_at_sentence_then_word_then_character(text: str, limit: int, expected: str) -> None:
    assert truncate(text, limit) == expected
    assert len(truncate(text, limit)) <= limit


def test_a_cut_card_links_to_the_full_answer_and_overflow_messages_are_merged() -> None:
    long_answer = "가나다라마바사 아자차카. " * 30
    reply = ChatReply(
        session_id="s",
        decision="answer",
        faq_id="x",
        messages=[
            Message(text=long_answer, buttons=[Button(title="자세히 보기", payload="https://x.example/a")]),
            Message(text="둘"),
            Message(
                text="셋",
                buttons=[Button(title="아주 긴 추천 질문 제목입니다 정말로", payload="/choose_faq{}")],
            ),
            Message(text="넷"),
        ],
    )
    outputs = skill_response(reply)["template"]["outputs"]
    assert outputs[0]["basicCard"]["buttons"][0]["label"] == "전체 내용 보기"
    assert len(outputs[0]["basicCard"]["description"]) <= CARD_DESCRIPTION_MAX
    assert outputs[2] == {"simpleText": {"text": "셋\n\n넷"}}
    (quick,) = skill_response(reply)["template"]["quickReplies"]
    assert quick == {
        "label": "아주 긴 추천 질문 제목…",
        "action": "message",
        "messageText": quick["messageText"],
    }
    assert quick["messageText"] == "아주 긴 추천 질문 제목입니다 정말로"


@pytest.fixture(scope="module")
def secured(app_runtime: Runtime, encoder: Encoder, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """The demo with the mud festival's and the 진주 portal's channels secured by a secret and the
    gaeram one unconfigured (the indexes and store of the session's runtime reused)."""
    data = tmp_path_factory.mktemp("kakao") / "data"
    shutil.copytree(app_runtime.settings.data_dir, data)
    for file, setting in (
        (f"tenants/{MUD}/tenant.yml", "kakao: {secret: s3cret-channel}"),
        ("tenants/gaeram-univ/tenant.yml", ""),
        ("portals/jinju.yml", "kakao: {secret: p0rtal-channel}"),
    ):
        path = data / file
        kept = [
            line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("kakao:")
        ]
        path.write_text("\n".join([*kept, setting]) + "\n", encoding="utf-8")
    settings = app_runtime.settings.model_copy(update={"data_dir": data})
    return TestClient(create_app(settings, Runtime(settings, encoder=encoder, store=app_runtime.store)))


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        (f"/kakao/{MUD}/skill", {}, 401),
        (f"/kakao/{MUD}/skill", {"X-Faqbot-Kakao-Secret": "wrong"}, 401),
        (f"/kakao/{MUD}/skill?token=s3cret", {}, 401),
        (f"/kakao/{MUD}/skill", {"X-Faqbot-Kakao-Secret": "s3cret-channel"}, 200),
        (f"/kakao/{MUD}/skill?token=s3cret-channel", {}, 200),
        ("/kakao/gaeram-univ/skill", {}, 401),  # no secret and not open: closed
        ("/kakao/jinju/skill", {"X-Faqbot-Kakao-Secret": "s3cret-channel"}, 401),  # a tenant's secret
        ("/kakao/jinju/skill", {"X-Faqbot-Kakao-Secret": "p0rtal-channel"}, 200),
    ],
    ids=[
        "none",
        "wrong-header",
        "prefix-token",
        "header",
        "url-token",
        "unconfigured",
        "portal-other",
        "portal",
    ],
)
def test_a_kakao_call_needs_the_channels_secret(
    secured: TestClient, path: str, headers: dict[str, str], status: int
) -> None:
    response = secured.post(path, json=skill_request("주차장 어디예요?"), headers=headers)
    assert response.status_code == status, response.text
    if status == 401:
        assert response.json()["error"]["code"] == "http_401"


def test_kakao_calls_are_limited_per_address_too(app_with_limits: Callable[..., FastAPI]) -> None:
    """A caller inventing a new user id per call still meets its address's bucket."""
    client = TestClient(app_with_limits(kakao_client_burst=3, kakao_client_per_minute=1))
    statuses = [
        client.post(
            f"/kakao/{MUD}/skill", json=skill_request("주차장 어디예요?", user_id=f"user-{i}")
        ).status_code
        for i in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
