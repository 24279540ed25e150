"""Personal data typed into the chat never reaches the stores or the logs in clear text."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import httpx
import pytest

from bot.chat import payloads
from bot.chat.memory_sessions import MemorySessionStore
from bot.chat.service import ChatService
from bot.observability import JsonFormatter
from bot.operators import FaqLifecycle
from bot.runtime import Runtime
from bot.settings import Settings
from retrieval import FaqEntry
from tests.fakes import RecordingDialogue
from tests.operators.files import csv_bytes, row

SECRETS = {
    "주민등록번호": "901231-1234567",
    "휴대폰": "010-9876-5432",
    "전화(붙여씀)": "01098765432",
    "이메일": "hong.gildong@example.com",
    "학번": "2023123456",
    "카드": "4111 1111 1111 1111",
}
MESSAGES = [
    "제 주민번호는 901231-1234567 인데 학생증 재발급 되나요?",
    "연락처 010-9876-5432 로 문자 주세요",
    "번호는01098765432이에요 주차 문의",
    "hong.gildong@example.com 으로 답장 부탁해요",
    "학번 2023123456 기숙사 신청 어떻게 해요?",
    "카드 4111 1111 1111 1111 로 결제했는데 환불 되나요",
]


def test_a_conversation_full_of_personal_data_leaves_no_trace(
    http: httpx.Client, hostile_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    session = None
    with caplog.at_level(logging.DEBUG):
        for text in MESSAGES:
            response = http.post(
                "/api/v1/chat", json={"tenant": "gaeram-univ", "session_id": session, "message": text}
            )
            assert response.status_code == 200, response.text
            session = response.json()["session_id"]
    files = [path for path in Path(hostile_settings.state_dir).rglob("*") if path.is_file()]
    stored = b"".join(path.read_bytes() for path in files)
    formatter = JsonFormatter()
    logged = "\n".join(formatter.format(record) for record in caplog.records)
    assert caplog.records, "the server logged nothing: the log check would prove nothing"
    # The turns were stored (masked): otherwise the check below would prove nothing.
    assert "[주민번호]".encode() in stored and "[전화번호]".encode() in stored
    for kind, secret in SECRETS.items():
        assert secret.encode() not in stored, f"{kind} stored in clear text"
        assert secret not in logged, f"{kind} logged in clear text"


def test_text_sent_to_rasa_is_masked(runtime: Runtime) -> None:
    """Rasa's tracker store keeps what it is sent (tests/reliability/test_scale_out.py greps it)."""
    dialogue = RecordingDialogue()
    service = ChatService(runtime, MemorySessionStore(), runtime.store.turns, dialogue)
    for text in MESSAGES:
        asyncio.run(service.handle("gaeram-univ", "s1", text))
    assert len(dialogue.sent) == len(MESSAGES)
    assert dialogue.sent[1] == "연락처 [전화번호] 로 문자 주세요"
    sent = "\n".join(dialogue.sent)
    for kind, secret in SECRETS.items():
        assert secret not in sent, f"{kind} sent to Rasa in clear text"


def test_button_payloads_reach_rasa_unmasked_but_forged_ones_do_not(runtime: Runtime) -> None:
    """A payload naming a served FAQ goes as it is (its digits are an id, not a student number);
    one naming no FAQ is typed text like any other and is masked."""
    notice = FaqEntry("notice-20240315", "공지", "3월 15일 공지 내용이 뭐예요?", "학사 일정이 바뀌었습니다.")
    lifecycle = FaqLifecycle(runtime)
    rows = [row(e) for e in runtime.live_entries("gaeram-univ")] + [row(notice)]
    lifecycle.publish(
        "gaeram-univ", lifecycle.import_file("gaeram-univ", "f.csv", csv_bytes(rows), "t").version, "t"
    )
    dialogue = RecordingDialogue()
    service = ChatService(runtime, MemorySessionStore(), runtime.store.turns, dialogue)
    reply = asyncio.run(service.handle("gaeram-univ", "s1", payloads.choose_faq(notice.id)))
    forged = payloads.choose_faq("010-9876-5432")
    asyncio.run(service.handle("gaeram-univ", "s1", forged))
    assert dialogue.sent[0] == '/choose_faq{"faq_id":"notice-20240315"}'
    assert (reply.decision, reply.faq_id) == ("answer", notice.id)  # the direct path (Rasa is down)
    assert "010-9876-5432" not in dialogue.sent[1] and "[전화번호]" in dialogue.sent[1]
