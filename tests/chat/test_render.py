"""FAQ results rendered into chat messages for the demo tenants."""

from __future__ import annotations

from bot.chat import payloads, render
from bot.chat.kakao import skill_response
from bot.chat.models import Button, ChatReply, Message
from bot.runtime import Runtime
from retrieval import FaqEntry, Hit


def entry(faq_id: str, link: str | None = None) -> FaqEntry:
    return FaqEntry(id=faq_id, category="교통", question=f"{faq_id} 질문?", answer=f"{faq_id} 답.", link=link)


def test_answer_without_link_has_no_link_button(app_runtime: Runtime) -> None:
    tenant = app_runtime.tenant("seohae-mudfest")
    answer, question = render.answer_messages(tenant, entry("pets"))
    assert answer == Message(text="pets 답.")
    assert question.text == "도움이 되었나요?" and len(question.buttons) == 2


def test_suggestions_are_at_most_three_distinct_faqs(app_runtime: Runtime) -> None:
    tenant = app_runtime.tenant("seohae-mudfest")
    hits = [Hit(entry(i), 0.5, 0.5, 0.5) for i in ("a", "b", "a", "c", "d")]
    (message,) = render.suggest_messages(tenant, hits)
    assert message.text == "혹시 이 중에 찾으시는 질문이 있나요?"
    assert message.buttons == [
        Button(title="a 질문?", payload='/choose_faq{"faq_id":"a"}'),
        Button(title="b 질문?", payload='/choose_faq{"faq_id":"b"}'),
        Button(title="c 질문?", payload='/choose_faq{"faq_id":"c"}'),
    ]


def test_fallback_adds_the_main_contact_only_when_the_text_lacks_its_number(app_runtime: Runtime) -> None:
    mud = app_runtime.tenant("seohae-mudfest")
    (message,) = render.fallback_messages(mud)
    assert message.text.startswith(mud.fallback) and message.text.count("041-930-3811") == 1
    bare = mud.model_copy(update={"fallback": "죄송합니다. 답을 찾지 못했어요."})
    (message,) = render.fallback_messages(bare)
    assert message.text.startswith("죄송합니다. 답을 찾지 못했어요.")
    assert message.text.endswith("\n종합안내소 041-930-3811 (축제 기간 10:00–22:00)")


def test_greeting_buttons_send_plain_questions(app_runtime: Runtime) -> None:
    univ = app_runtime.tenant("gaeram-univ")
    (message,) = render.greeting_messages(univ)
    assert message.text.startswith(univ.greeting)
    assert [b.payload for b in message.buttons] == [f"{c} 안내" for c in univ.top_categories]


def test_handoff_lists_every_contact(app_runtime: Runtime) -> None:
    mud = app_runtime.tenant("seohae-mudfest")
    (message,) = render.handoff_messages(mud)
    assert message.text.splitlines() == [
        "정확한 안내를 위해 담당자에게 직접 문의해 주세요.",
        "· 종합안내소 041-930-3811 (축제 기간 10:00–22:00)",
        "· 축제 운영사무국 041-930-3800 (평일 09:00–18:00)",
    ]


def test_buttons_of_one_title_are_told_apart_for_channels_that_send_titles() -> None:
    same = "주차 요금이 얼마인가요?"
    messages = [
        Message(
            text="이 중에 있나요?",
            buttons=[
                Button(title=same, payload=payloads.choose_faq("parking-fee-car")),
                Button(title=same, payload=payloads.choose_faq("parking-fee-bus")),
                Button(title="홈페이지", payload="https://example.kr"),
                Button(title="홈페이지", payload="https://example.kr/b"),
            ],
        )
    ]
    titles = [b.title for b in render.distinct_titles(messages)[0].buttons]
    assert titles == [same, f"{same} (2)", "홈페이지", "홈페이지"]
    quick = skill_response(
        ChatReply(session_id="s", decision="suggest", messages=render.distinct_titles(messages))
    )
    assert [q["messageText"] for q in quick["template"]["quickReplies"]] == [same, f"{same} (2)"]
