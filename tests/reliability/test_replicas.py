"""Two app replicas on one Postgres: a version published on replica A is served by replica B."""

from __future__ import annotations

import csv
import io
import shutil
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.app import create_app
from bot.runtime import Runtime
from bot.settings import ChatLimits, Settings
from retrieval import Encoder, FaqEntry

pytestmark = pytest.mark.services

TENANT = "seohae-mudfest"
TOKEN = "replica-tests-admin-token-0123456789"
ADMIN = {"authorization": f"Bearer {TOKEN}"}
NEW = FaqEntry(
    "small-pets-policy",
    "관람 안내",
    "고슴도치나 햄스터 같은 작은 동물도 데리고 입장할 수 있나요?",
    "고슴도치·햄스터 등 소동물은 뚜껑이 있는 이동장에 넣은 경우에만 입장할 수 있습니다.",
)


@pytest.fixture
def replicas(
    postgres_url: str, demo_data: Path, encoder: Encoder, tmp_path: Path
) -> Iterator[list[TestClient]]:
    """Replicas A and B: their own state directories (indexes), one shared Postgres database."""
    shutil.copytree(demo_data, tmp_path / "data")
    with ExitStack() as stack:
        clients = []
        for name in ("a", "b"):
            settings = Settings(
                data_dir=tmp_path / "data",
                state_dir=tmp_path / name,
                database_url=postgres_url,
                admin_token=TOKEN,
                chat_limits=ChatLimits(enabled=False),
                live_poll_interval=0.5,
            )
            app = create_app(settings, Runtime(settings, encoder=encoder))
            clients.append(stack.enter_context(TestClient(app, raise_server_exceptions=False)))
        yield clients


def faq_csv(entries: list[FaqEntry]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "category", "question", "answer", "alt_questions", "link"])
    for e in entries:
        writer.writerow([e.id, e.category, e.question, e.answer, " | ".join(e.alt_questions), e.link or ""])
    return buffer.getvalue().encode("utf-8")


def ask(client: TestClient, text: str) -> dict[str, object]:
    response = client.post("/api/v1/chat", json={"tenant": TENANT, "session_id": None, "message": text})
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_publish_on_a_is_served_by_b_within_10_s(replicas: list[TestClient]) -> None:
    a, b = replicas
    assert ask(b, NEW.question)["faq_id"] != NEW.id
    live = a.app.state.runtime.live_entries(TENANT)  # type: ignore[attr-defined]
    upload = a.post(
        f"/api/v1/admin/tenants/{TENANT}/faq/drafts",
        headers=ADMIN,
        files={"file": ("faq.csv", faq_csv([*live, NEW]))},
    )
    assert upload.status_code == 201, upload.text
    version = upload.json()["version"]
    publish = a.post(f"/api/v1/admin/tenants/{TENANT}/faq/versions/{version}/publish", headers=ADMIN)
    assert publish.status_code == 202, publish.text
    deadline = time.monotonic() + 120
    while a.app.state.runtime.serving_version(TENANT) != version:  # type: ignore[attr-defined]
        assert time.monotonic() < deadline, "replica A never served the published version"
        time.sleep(0.1)
    published = time.monotonic()
    while (reply := ask(b, NEW.question))["faq_id"] != NEW.id:
        assert time.monotonic() - published < 10, f"replica B still answers {reply} 10 s after the publish"
        time.sleep(0.2)
    assert reply["decision"] == "answer"
    # Both replicas say so in /metrics, which is how an operator would check a rollout.
    for replica in (a, b):
        assert f'faqbot_index_version{{tenant="{TENANT}"}} {float(version)}' in replica.get("/metrics").text
