"""Multi-turn conversations through the gateway's chat API, the real Rasa server, the custom
actions served by the app and the real retrieval engine."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing

import pytest

from bot.chat import payloads, render
from bot.i18n.catalogue import CATALOGUE
from bot.operators import FaqLifecycle
from retrieval import FaqEntry
from tests.dialogue.stack import Stack
from tests.operators.files import csv_bytes, row

pytestmark = pytest.mark.rasa

MUD, LANTERN = "seohae-mudfest", "namgang-lantern"
# Candidates for an ambiguous question; the test uses whichever the retrieval engine decides to
# answer with suggestions today, so the dialogue path is compared with retrieval, not with a guess.
AMBIGUOUS = ("주차장 어디 있어요?", "입장권 가격 얼마예요", "표 어디서 사요", "셔틀버스 있어요?", "체험")
ENGLISH = (
    "what should I pack for the mud experience",
    "which bus goes to the beach",
    "where are the changing rooms",
)
OUT_OF_SCOPE = ("비트코인 시세 좀 알려줄래?", "오늘 저녁 메뉴 추천해 줘")


def test_greet_then_question_then_answer(stack: Stack) -> None:
    tenant = stack.runtime.tenant(MUD)
    reply = stack.chat(MUD, "안녕하세요~")
    session = reply["session_id"]
    assert reply["decision"] == "dialogue"
    assert reply["messages"] == [m.model_dump() for m in render.greeting_messages(tenant)]
    assert tenant.greeting in reply["messages"][0]["text"]

    entry = next(e for e in stack.runtime.index(MUD).entries if e.id == "festival-dates")
    reply = stack.chat(MUD, entry.question, session)
    assert reply["decision"] == "answer"
    assert reply["faq_id"] == entry.id
    assert reply["messages"][0]["text"] == entry.answer
    assert reply["messages"][-1]["text"] == "도움이 되었나요?"

    started = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5)
    reply = stack.chat(MUD, payloads.feedback(entry.id, True), session)
    assert reply == {**reply, "decision": "dialogue", "faq_id": entry.id}
    assert stack.rasa_actions(MUD, session) == ["action_greet", "action_answer_faq", "action_feedback"]
    # The 👍 reaches the operators' stats on the Rasa path too.
    turns = [t for t in stack.runtime.store.turns.since(MUD, started) if t.session_id == session]
    assert [(t.faq_id, t.helpful) for t in turns if t.helpful is not None] == [(entry.id, True)]


def test_english_greeting_question_and_handoff_are_rasa_turns_in_english(stack: Stack) -> None:
    tenant = stack.runtime.tenant(MUD)
    reply = stack.chat(MUD, "Hi there!")
    session = reply["session_id"]
    assert (reply["language"], reply["decision"]) == ("en", "dialogue")
    assert reply["messages"] == [m.model_dump() for m in render.greeting_messages(tenant, language="en")]
    assert reply["messages"][0]["text"].startswith(tenant.languages["en"].greeting or "")

    query = next(q for q in ENGLISH if stack.runtime.search(MUD, q, language="en").decision == "suggest")
    reply = stack.chat(MUD, query, session)
    assert (reply["language"], reply["decision"]) == ("en", "suggest")
    assert reply["messages"][0]["text"] == "Is one of these what you are looking for?"

    reply = stack.chat(MUD, "can I speak with someone from the staff please", session)
    assert (reply["language"], reply["decision"]) == ("en", "dialogue")
    assert reply["messages"][0]["text"].startswith("For accurate information, please contact the staff")
    assert "Information Center 041-930-3811" in reply["messages"][0]["text"]
    assert stack.rasa_actions(MUD, session) == ["action_greet", "action_answer_faq", "action_handoff"]


@pytest.mark.parametrize(
    ("thanks", "goodbye", "language"),
    [
        ("고마워요!", "이제 갈게요 안녕히 계세요", "ko"),
        ("thank you so much", "see you later, bye", "en"),
        ("谢谢你", "再见", "zh"),
    ],
)
def test_thanks_and_goodbye_are_said_in_the_visitors_language(
    stack: Stack, thanks: str, goodbye: str, language: str
) -> None:
    reply = stack.chat(MUD, thanks)
    assert (reply["language"], reply["decision"]) == (language, "dialogue")
    assert [m["text"] for m in reply["messages"]] == [CATALOGUE["welcome"][language]]  # type: ignore[index]
    reply = stack.chat(MUD, goodbye, reply["session_id"])
    assert (reply["language"], reply["decision"]) == (language, "dialogue")
    assert [m["text"] for m in reply["messages"]] == [CATALOGUE["goodbye"][language]]  # type: ignore[index]
    assert stack.rasa_actions(MUD, reply["session_id"]) == ["action_small_talk", "action_small_talk"]


@pytest.mark.parametrize(
    ("question", "language"), [("is it a person answering me?", "en"), ("你是人工智能吗", "zh")]
)
def test_are_you_a_bot_in_the_visitors_language(stack: Stack, question: str, language: str) -> None:
    reply = stack.chat(MUD, question)
    assert (reply["language"], reply["decision"]) == (language, "dialogue")
    assert [m["text"] for m in reply["messages"]] == [CATALOGUE["about_bot"][language]]  # type: ignore[index]


def test_ambiguous_question_buttons_then_choice(stack: Stack) -> None:
    query = next((q for q in AMBIGUOUS if stack.runtime.search(MUD, q).decision == "suggest"), None)
    assert query is not None, "no probe question is ambiguous for the retrieval engine any more"
    expected = [h.faq_id for h in stack.runtime.search(MUD, query).hits[:3]]

    reply = stack.chat(MUD, query)
    session = reply["session_id"]
    assert reply["decision"] == "suggest"
    buttons = reply["messages"][0]["buttons"]
    assert [b["payload"] for b in buttons] == [payloads.choose_faq(f) for f in expected]

    reply = stack.chat(MUD, buttons[1]["payload"], session)
    assert (reply["decision"], reply["faq_id"]) == ("answer", expected[1])
    assert stack.rasa_actions(MUD, session) == ["action_answer_faq", "action_choose_faq"]


def test_out_of_scope_falls_back_and_the_second_hands_off(stack: Stack) -> None:
    tenant = stack.runtime.tenant(LANTERN)
    reply = stack.chat(LANTERN, OUT_OF_SCOPE[0])
    session = reply["session_id"]
    assert reply["decision"] == "fallback"
    assert reply["faq_id"] is None
    assert tenant.main_contact.phone in reply["messages"][0]["text"]
    assert len(reply["messages"]) == 1

    reply = stack.chat(LANTERN, OUT_OF_SCOPE[1], session)
    assert reply["decision"] == "fallback"
    handoff = reply["messages"][-1]["text"]
    assert all(c.name in handoff for c in tenant.contacts)


@pytest.mark.parametrize(
    ("chat_id", "text", "tenant"),
    [(MUD, "머드축제 주차 어디", MUD), ("jinju", "등불축제 주차 어디", LANTERN)],
)
def test_a_question_naming_the_festival_is_answered_not_greeted(
    stack: Stack, chat_id: str, text: str, tenant: str
) -> None:
    # The intent model hears a tenant choice in the festival's name; the question must still win.
    reply = stack.chat(chat_id, text)
    assert reply["decision"] in ("answer", "suggest")
    offered = [reply["faq_id"]] + [
        payloads.parse(b["payload"]) for m in reply["messages"] for b in m["buttons"]
    ]
    ids = {p if isinstance(p, str) else getattr(p, "faq_id", None) for p in offered}
    assert ids & {"parking-location", "parking-fee", "parking-temporary", "temp-parking"}
    assert stack.runtime.tenant(tenant).greeting not in reply["messages"][0]["text"]


def test_human_handoff_gives_contacts(stack: Stack) -> None:
    tenant = stack.runtime.tenant(MUD)
    reply = stack.chat(MUD, "상담원이랑 직접 통화하고 싶어요")
    assert reply["decision"] == "dialogue"
    assert all(c.phone in reply["messages"][0]["text"] for c in tenant.contacts if c.phone)


def test_same_question_to_two_festivals_gets_each_own_answer(stack: Stack) -> None:
    answers = {}
    for tenant in (MUD, LANTERN):
        reply = stack.chat(tenant, "화장실은 어디에 있나요?")
        assert reply["decision"] == "answer"
        entry = next(e for e in stack.runtime.index(tenant).entries if e.id == reply["faq_id"])
        assert reply["messages"][0]["text"] == entry.answer
        answers[tenant] = reply["messages"][0]["text"]
    assert answers[MUD] != answers[LANTERN]
    assert stack.app.app.state.dialogue.degradations == {}


def test_a_choose_faq_payload_with_digits_survives_the_rasa_path(stack: Stack) -> None:
    """Masking runs on typed text only: ``notice-20240315`` looks like a student number."""
    notice = FaqEntry(
        "notice-20240315", "공지", "3월 15일 공지 내용이 뭐예요?", "갯벌 체험장 운영 시간이 바뀌었습니다."
    )
    lifecycle = FaqLifecycle(stack.runtime)
    rows = [row(e) for e in stack.runtime.live_entries(MUD)] + [row(notice)]
    draft = lifecycle.import_file(MUD, "faq.csv", csv_bytes(rows), "tester")
    lifecycle.publish(MUD, draft.version, "tester")
    reply = stack.chat(MUD, payloads.choose_faq(notice.id))
    assert (reply["decision"], reply["faq_id"]) == ("answer", notice.id)
    assert reply["messages"][0]["text"] == notice.answer
    assert stack.rasa_actions(MUD, reply["session_id"]) == ["action_choose_faq"]


def test_conversation_survives_a_rasa_restart(stack: Stack) -> None:
    """The SQL tracker store keeps the slots: a typed 네 after a restart is feedback on the answer
    given before it."""
    entry = next(e for e in stack.runtime.index(LANTERN).entries if e.id == "restrooms")
    reply = stack.chat(LANTERN, entry.question)
    session = reply["session_id"]
    assert reply["faq_id"] == entry.id
    # Started through rasa_server: the tracker store writes ahead (see rasa_server/__init__.py).
    with closing(sqlite3.connect(stack.rasa.tracker_db)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    stack.rasa.stop()
    stack.rasa.start()
    assert stack.rasa.wait_healthy(240)
    reply = stack.chat(LANTERN, "네", session)
    assert (reply["decision"], reply["faq_id"]) == ("dialogue", entry.id)
    assert stack.rasa_actions(LANTERN, session) == ["action_answer_faq", "action_feedback"]


def test_app_keeps_answering_when_rasa_is_killed(stack: Stack) -> None:
    """Last in this module: it kills the Rasa server."""
    assert stack.rasa.process is not None
    degradations = stack.app.app.state.dialogue.degradations
    unreachable = degradations["unreachable"]
    stack.rasa.process.kill()
    stack.rasa.process.wait(30)
    reply = stack.chat(MUD, "화장실은 어디에 있나요?")
    assert (reply["decision"], reply["faq_id"]) == ("answer", "restroom")
    assert degradations["unreachable"] == unreachable + 1
    metrics = stack.http.get(f"{stack.app.url}/metrics").text
    assert 'faqbot_rasa_degradations_total{reason="unreachable",tenant="seohae-mudfest"}' in metrics
