"""Rasa SIGKILLed under load: every turn is still answered, from direct retrieval; Rasa restarted on
the same port and tracker store: the dialogue resumes without restarting the app."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from bot.dialogue.model import RasaProject
from retrieval import Encoder
from tests.dialogue.stack import Stack, running_stack

# Two Rasa starts (about 40 s each on an idle machine, minutes on a loaded one) plus the load.
pytestmark = [pytest.mark.rasa, pytest.mark.timeout(600)]

TENANTS = ("seohae-mudfest", "namgang-lantern", "gaeram-univ")
WORKERS = 6
RETRIEVAL_DECISIONS = {"answer", "suggest", "fallback"}
# (tenant, question, retrieval's (decision, faq id if answered))
Case = tuple[str, str, tuple[str, str | None]]


@pytest.fixture
def stack(
    rasa_project: RasaProject, rasa_model: Path, demo_data: Path, encoder: Encoder, tmp_path: Path
) -> Iterator[Stack]:
    var = tmp_path / "var"
    with running_stack(rasa_project, rasa_model, demo_data, var, encoder, rasa_timeout=10.0) as running:
        yield running


def questions(stack: Stack) -> list[Case]:
    """A few FAQs of each tenant, with what direct retrieval answers to their question."""
    cases = []
    for tenant in TENANTS:
        for entry in stack.runtime.index(tenant).entries[:4]:
            result = stack.runtime.search(tenant, entry.question)
            top = result.hits[0].entry.id if result.decision == "answer" else None
            cases.append((tenant, entry.question, (result.decision, top)))
    return cases


def load(
    stack: Stack, cases: list[Case], rounds: int, kill_after: int | None = None
) -> list[tuple[Case, httpx.Response]]:
    """Send every case ``rounds`` times from WORKERS concurrent clients; with ``kill_after``, SIGKILL
    Rasa once that many replies came back, while the rest are in flight or queued."""
    replied = threading.Semaphore(0)
    work = [case for _ in range(rounds) for case in cases]

    def send(case: Case) -> tuple[Case, httpx.Response]:
        tenant, question, _ = case
        body = {"tenant": tenant, "session_id": None, "message": question}
        try:
            return case, stack.http.post(f"{stack.app.url}/api/v1/chat", json=body)
        finally:
            replied.release()

    with ThreadPoolExecutor(WORKERS) as pool:
        futures: list[Future[tuple[Case, httpx.Response]]] = [pool.submit(send, case) for case in work]
        if kill_after is not None:
            for _ in range(kill_after):
                replied.acquire()
            assert stack.rasa.process is not None
            stack.rasa.process.kill()
            stack.rasa.process.wait(30)
        return [f.result() for f in futures]


def test_rasa_killed_under_load_then_back(stack: Stack) -> None:
    cases = questions(stack)
    dialogue = stack.app.app.state.dialogue

    during = load(stack, cases, rounds=3, kill_after=len(cases))
    after = load(stack, cases, rounds=1)

    # Nothing lost: every turn of the load got a 200 with a reply, before, during and after the kill.
    for _case, response in during + after:
        assert response.status_code == 200, response.text
        assert response.json()["messages"], response.json()
    # Once Rasa is gone, each turn is answered exactly as direct retrieval answers it.
    for (_tenant, _question, expected), response in after:
        reply = response.json()
        assert reply["decision"] in RETRIEVAL_DECISIONS
        assert (reply["decision"], reply["faq_id"] if reply["decision"] == "answer" else None) == expected
    degraded = sum(dialogue.degradations.values())
    assert degraded >= len(after)

    # Rasa back on the same port and tracker store: the app uses it again, unrestarted.
    stack.rasa.start()
    assert stack.rasa.wait_healthy(240), "Rasa did not come back"
    tenant, question, expected = next(case for case in cases if case[2][0] == "answer")
    reply = stack.chat(tenant, "안녕하세요~")
    assert reply["decision"] == "dialogue"
    reply = stack.chat(tenant, question, reply["session_id"])
    assert (reply["decision"], reply["faq_id"]) == expected
    assert stack.rasa_actions(tenant, reply["session_id"]) == ["action_greet", "action_answer_faq"]
    assert sum(dialogue.degradations.values()) == degraded
