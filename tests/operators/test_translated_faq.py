"""A FAQ file with English answers: import (validated, diffed) → publish → chat in English."""

from __future__ import annotations

import asyncio
import csv
import io

from bot.chat.memory_sessions import MemorySessionStore
from bot.chat.service import ChatService
from bot.operators import FaqLifecycle
from bot.runtime import Runtime
from tests.operators.files import row

TENANT = "gaeram-univ"
HEADER = ["id", "category", "question", "answer", "alt_questions", "link", "question_en", "answer_en"]


class _NoRecorder:
    def record(self, turn: object) -> None:
        pass


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *rows])
    return out.getvalue().encode("utf-8")


def test_answer_en_through_import_publish_and_chat(runtime: Runtime) -> None:
    runtime.load(TENANT)
    lifecycle = FaqLifecycle(runtime)
    live = runtime.live_entries(TENANT)
    rows = [[*row(e), "", ""] for e in live]
    target = next(i for i, e in enumerate(live) if e.id == "leave-of-absence-apply")
    rows[target][6:8] = [
        "How do I take a leave of absence?",
        "Apply on the student portal before the semester starts.",
    ]
    rows[target + 1][7] = "한글이 남은 번역"  # warned, not refused
    draft = lifecycle.import_file(TENANT, "faq.csv", _csv(rows), "tester")
    assert draft.publishable
    warnings = [(w["row"], w["column"]) for w in draft.report["warnings"]]
    assert (target + 3, "answer_en") in warnings
    changed = {c["id"]: c["fields"] for c in draft.report["diff"]["changed"]}
    assert changed[live[target].id] == ["translations"]
    lifecycle.publish(TENANT, draft.version, "tester")

    service = ChatService(runtime, MemorySessionStore(), _NoRecorder())
    reply = asyncio.run(
        service.handle(TENANT, None, '/choose_faq{"faq_id":"leave-of-absence-apply"}', language_hint="en")
    )
    assert (reply.language, reply.decision) == ("en", "answer")
    assert reply.messages[0].text == "Apply on the student portal before the semester starts."
    reply = asyncio.run(service.handle(TENANT, None, '/choose_faq{"faq_id":"leave-of-absence-apply"}'))
    assert reply.messages[0].text == live[target].answer
    # Versioned and exported with the rest: the stored version gives the translation back.
    stored = runtime.store.versions.get(TENANT, draft.version).entries[target]
    assert stored.answer_in("en") == "Apply on the student portal before the semester starts."
