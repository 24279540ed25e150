"""A question that names only another tenant of the deployment is that tenant's business."""

from __future__ import annotations

import csv
from pathlib import Path

from fastapi.testclient import TestClient

from bot.runtime import Runtime
from bot.settings import Settings
from retrieval import Encoder, search


def test_a_question_naming_another_tenant_falls_back_with_its_results(runtime: Runtime) -> None:
    question = "머드축제 주차장 어디예요?"
    index = runtime.index("namgang-lantern")
    thresholds = runtime.tenant("namgang-lantern").thresholds.over(index.profile.thresholds)
    plain = search(index, runtime.normalise("namgang-lantern", question), thresholds)
    assert plain.decision != "fallback"  # parking words alone would be the lantern festival's

    result = runtime.search("namgang-lantern", question)
    assert result.decision == "fallback"
    assert [h.faq_id for h in result.hits] == [h.faq_id for h in plain.hits]
    # Asked of the tenant it names, it is answered as usual.
    assert runtime.search("seohae-mudfest", question).decision != "fallback"
    # Naming both leaves it to the search.
    assert runtime.search("namgang-lantern", "머드축제랑 등불축제 주차장 어디예요?").decision != "fallback"


def test_a_name_the_tenants_own_faq_uses_is_its_business(settings: Settings, encoder: Encoder) -> None:
    seed = settings.data_dir / "tenants" / "gaeram-univ" / "faq.csv"
    _append_row(
        seed,
        {
            "id": "lantern-festival-shuttle",
            "category": "교통",
            "question": "남강 등불축제 기간에도 학교 셔틀버스가 다니나요?",
            "answer": "등불축제 기간(10월)에는 셔틀버스가 진주역 대신 남강 둔치를 거쳐 갑니다.",
        },
    )
    runtime = Runtime(settings, encoder=encoder)
    result = runtime.search("gaeram-univ", "등불축제 때 셔틀 다녀요?")
    assert result.decision != "fallback"
    assert result.best is not None and result.best.faq_id == "lantern-festival-shuttle"


def _append_row(path: Path, row: dict[str, str]) -> None:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    with path.open("a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, fieldnames=header).writerow(row)


def test_the_chat_says_where_to_ask_instead(client: TestClient, app_runtime: Runtime) -> None:
    mud = app_runtime.tenant("seohae-mudfest")
    response = client.post(
        "/api/v1/chat", json={"tenant": "namgang-lantern", "message": "머드축제 언제 해요?"}
    )
    reply = response.json()
    # Not the lantern festival's calendar: the question is about the mud festival.
    assert reply["decision"] == "fallback"
    (message,) = reply["messages"]
    assert message["text"].startswith(
        "서해 머드축제에 관한 질문은 남강 등불축제 안내에서 답해 드리기 어려워요."
    )
    assert mud.main_contact.line() in message["text"]
