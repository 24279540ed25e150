"""The app SIGKILLed in the middle of a publish: after a restart the tenant serves the old version or
the new one, entirely; the draft is still there and publishing it again makes it live."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bot.faqsets.files import read_faq_file
from retrieval import FaqEntry
from tests.faults.app_process import AppProcess
from tests.operators.files import HEADER_EN, csv_bytes, row

TENANT = "seohae-mudfest"
OLD_ONLY = "restroom"  # in the seed version, removed by the draft
NEW = FaqEntry(
    "drone-light-show",
    "공연",
    "드론 라이트쇼는 몇 시에 시작하나요?",
    "드론 라이트쇼는 축제 기간 매일 밤 9시에 대천해수욕장 중앙광장 상공에서 시작합니다.",
)
# Extra FAQs make the build last seconds, so the kill reliably lands inside it.
FILLERS = [
    FaqEntry(f"booth-{n}", "체험", f"체험 부스 {n}번은 어디에 있나요?", f"{n % 7 + 1}구역에 있습니다.")
    for n in range(60)
]
JobState = dict[str, Any]


def versions(app: AppProcess) -> dict[str, Any]:
    response = app.admin("GET", f"/{TENANT}/faq/versions")
    assert response.status_code == 200, response.text
    return dict(response.json())


def kill_publish_when(app: AppProcess, version: int, moment: Callable[[JobState], bool]) -> JobState:
    """Start publishing ``version`` and SIGKILL the app as soon as its job reaches ``moment`` (or,
    if the job outran the polling, right after it finished)."""
    response = app.admin("POST", f"/{TENANT}/faq/versions/{version}/publish")
    assert response.status_code == 202, response.text
    job: JobState = response.json()
    deadline = time.monotonic() + 120
    while job["state"] == "building" and not moment(job):
        assert time.monotonic() < deadline, job
        job = versions(app)["job"]
    app.kill()
    return job


def serves(app: AppProcess, old: FaqEntry) -> str:
    """Which version's FAQ set answers — "old" or "new" — checked with a question only each has."""
    old_reply = app.chat(TENANT, old.question)
    new_reply = app.chat(TENANT, NEW.question)
    is_old = old_reply["faq_id"] == old.id and new_reply["faq_id"] != NEW.id
    is_new = old_reply["faq_id"] != old.id and new_reply["faq_id"] == NEW.id
    assert is_old != is_new, f"a mix of versions: {old_reply} / {new_reply}"
    return "old" if is_old else "new"


def test_publish_killed_midway_serves_one_whole_version(app: AppProcess) -> None:
    seed = read_faq_file(app.data_dir / "tenants" / TENANT / "faq.csv")
    old = next(e for e in seed if e.id == OLD_ONLY)
    draft_entries = [e for e in seed if e.id != OLD_ONLY] + [NEW, *FILLERS]
    app.start()
    assert serves(app, old) == "old"
    upload = csv_bytes([row(e) for e in draft_entries], "utf-8", HEADER_EN)
    response = app.admin("POST", f"/{TENANT}/faq/drafts", files={"file": ("faq.csv", upload, "text/csv")})
    assert response.status_code == 201, response.text
    draft = response.json()["version"]

    moments: list[Callable[[JobState], bool]] = [
        lambda job: True,  # as the build starts
        lambda job: job["progress"]["done"] > 0,  # texts partly encoded
        # Every text encoded: left are BM25, saving, pointing CURRENT at it and the live switch.
        lambda job: job["progress"]["done"] >= job["progress"]["total"],
    ]
    for moment in moments:
        killed_at = kill_publish_when(app, draft, moment)
        app.start()
        listing = versions(app)
        states = {v["version"]: v["state"] for v in listing["versions"]}
        live = [v for v, state in states.items() if state == "live"]
        assert len(live) == 1, listing
        served = serves(app, old)
        assert listing["serving"] == live[0] == (draft if served == "new" else 1), (killed_at, listing)
        if served == "new":
            break  # the kill came after the switch: the publish had completed
        assert states[draft] == "draft", listing

    if served == "old":
        response = app.admin("POST", f"/{TENANT}/faq/versions/{draft}/publish")
        assert response.status_code == 202, response.text
        deadline = time.monotonic() + 120
        while (job := versions(app)["job"])["state"] == "building":
            assert time.monotonic() < deadline, job
            time.sleep(0.2)
        assert job["state"] == "live", job
        assert serves(app, old) == "new"
    # The whole new set is served, not only the probe question.
    for filler in FILLERS[:5]:
        reply = app.chat(TENANT, filler.question)
        assert reply["faq_id"] == filler.id, reply
