"""The operator API against the real server: drafts, live publish under chat load, rollback, auth."""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from tests.operators.files import HEADER_EN, NEW_FAQ, csv_bytes, row, without_chinese, xlsx_bytes
from tests.operators.live_server import ADMIN_TOKEN, LiveServer, run_cli

TENANT = "namgang-lantern"
OTHER = "gaeram-univ"


def upload(client: httpx.Client, tenant: str, name: str, data: bytes) -> httpx.Response:
    return client.post(f"/api/v1/admin/tenants/{tenant}/faq/drafts", files={"file": (name, data)})


def chat(client: httpx.Client, text: str) -> dict[str, object]:
    response = client.post("/api/v1/chat", json={"tenant": TENANT, "message": text})
    response.raise_for_status()
    body: dict[str, object] = response.json()
    return body


def wait_live(client: httpx.Client, tenant: str, version: int, timeout: float = 60) -> float:
    """Seconds until ``version`` is live according to faq/versions."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        body = client.get(f"/api/v1/admin/tenants/{tenant}/faq/versions").raise_for_status().json()
        if any(v["version"] == version and v["state"] == "live" for v in body["versions"]):
            return time.monotonic() - start
        time.sleep(0.2)
    raise AssertionError(f"version {version} not live after {timeout}s")


class ChatLoop:
    """Visitors chatting in the background; every failed request is counted."""

    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self.statuses: Counter[int | str] = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        questions = ["유등축제 기간이 언제예요?", "주차장 어디 있어요?", "입장료 있나요?"]
        with self.server.client() as client:
            i = 0
            while not self._stop.is_set():
                try:
                    response = client.post(
                        "/api/v1/chat", json={"tenant": TENANT, "message": questions[i % 3]}
                    )
                    self.statuses[response.status_code] += 1
                except httpx.HTTPError as exc:
                    self.statuses[type(exc).__name__] += 1
                i += 1

    def __enter__(self) -> ChatLoop:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)


def test_draft_publish_rollback_under_chat_load(server: LiveServer) -> None:
    admin = server.client(ADMIN_TOKEN)
    live = server.runtime.live_entries(TENANT)
    changed = live[0]
    old_answer = changed.answer

    # 1. A CP949 file with three bad rows: a draft with exactly those errors; live untouched.
    rows = [row(e) for e in live]
    rows[3][3] = ""
    rows[10][2] = ""
    rows[20][5] = "ftp://example.kr/x"
    response = upload(admin, TENANT, "유등축제_FAQ.csv", csv_bytes(without_chinese(rows), "cp949"))
    assert response.status_code == 201, response.text
    draft = response.json()
    assert [(e["row"], e["column"]) for e in draft["errors"]] == [
        (5, "answer"),
        (12, "question"),
        (22, "link"),
    ]
    assert all(e["message"] for e in draft["errors"])
    assert set(draft["diff"]) == {"added", "removed", "changed"}
    refused = admin.post(f"/api/v1/admin/tenants/{TENANT}/faq/versions/{draft['version']}/publish")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "draft_has_errors"
    assert server.runtime.serving_version(TENANT) == 1

    # 2. Fixed file with one new FAQ and one changed answer, published while visitors chat.
    rows = [row(e) for e in live] + [row(NEW_FAQ)]
    rows[0][3] = "새 답변: " + old_answer
    fixed = upload(admin, TENANT, "유등축제_FAQ.csv", csv_bytes(rows)).json()
    assert fixed["errors"] == []
    assert [a["id"] for a in fixed["diff"]["added"]] == [NEW_FAQ.id]
    assert [c["id"] for c in fixed["diff"]["changed"]] == [changed.id]
    with ChatLoop(server) as loop:
        time.sleep(1)
        started = time.monotonic()
        accepted = admin.post(f"/api/v1/admin/tenants/{TENANT}/faq/versions/{fixed['version']}/publish")
        assert accepted.status_code == 202, accepted.text
        while chat(admin, NEW_FAQ.question).get("faq_id") != NEW_FAQ.id:
            job = admin.get(f"/api/v1/admin/tenants/{TENANT}/faq/versions").json()["job"]
            last = chat(admin, NEW_FAQ.question)
            assert time.monotonic() - started < 10, f"the new FAQ did not answer within 10 s: {job} {last}"
            time.sleep(0.2)
        time.sleep(0.5)
    assert set(loop.statuses) == {200}, loop.statuses
    assert loop.statuses[200] > 5
    reply = chat(admin, NEW_FAQ.question)
    assert reply["decision"] == "answer"
    versions = admin.get(f"/api/v1/admin/tenants/{TENANT}/faq/versions").json()
    states = {v["version"]: v["state"] for v in versions["versions"]}
    assert states == {1: "retired", 2: "draft", 3: "live"}
    assert versions["versions"][0]["published_by"] == "admin"

    # 3. Rollback to version 1 restores the old answer.
    back = admin.post(f"/api/v1/admin/tenants/{TENANT}/faq/rollback", json={"version": 1})
    assert back.status_code == 202
    wait_live(admin, TENANT, 1)
    answer = chat(admin, changed.question)
    assert answer["faq_id"] == changed.id
    assert answer["messages"][0]["text"] == old_answer  # type: ignore[index]
    assert chat(admin, NEW_FAQ.question).get("faq_id") != NEW_FAQ.id
    audit = admin.get(f"/api/v1/admin/tenants/{TENANT}/audit").json()["events"]
    assert [e["action"] for e in audit[:4]] == ["rollback", "publish", "import", "import"]


def test_xlsx_import_publishes(server: LiveServer) -> None:
    admin = server.client(ADMIN_TOKEN)
    rows = [row(e) for e in server.runtime.live_entries(OTHER)]
    rows.append(
        ["", "생활", "기숙사 택배는 어디서 받나요?", "택배는 생활관 1층 택배 보관실에서 받습니다.", "", ""]
    )
    draft = upload(admin, OTHER, "faq.xlsx", xlsx_bytes(rows, HEADER_EN)).json()
    assert draft["errors"] == [] and len(draft["diff"]["added"]) == 1
    assert draft["diff"]["added"][0]["id"].startswith("faq-")  # derived id
    admin.post(f"/api/v1/admin/tenants/{OTHER}/faq/versions/{draft['version']}/publish").raise_for_status()
    wait_live(admin, OTHER, draft["version"])
    hit = server.runtime.search(OTHER, "기숙사 택배는 어디서 받나요?").hits[0]
    assert hit.faq_id == draft["diff"]["added"][0]["id"]


def test_unreadable_file_is_422_with_the_draft_shape(server: LiveServer) -> None:
    admin = server.client(ADMIN_TOKEN)
    before = admin.get(f"/api/v1/admin/tenants/{TENANT}/faq/versions").json()["versions"]
    response = upload(admin, TENANT, "faq.csv", "제목,내용\n가,나\n".encode())
    assert response.status_code == 422
    body = response.json()
    assert body["version"] is None and body["errors"][0]["column"] == "file"
    assert "질문" in body["errors"][0]["message"]
    assert body["diff"] == {"added": [], "removed": [], "changed": []}
    # Refused before parsing: 413 by a body limit in front, or 422 by the importer itself.
    too_big = upload(admin, TENANT, "faq.csv", b"question,answer\n" + b"a" * (11 * 1024 * 1024))
    assert too_big.status_code in (413, 422)
    assert admin.get(f"/api/v1/admin/tenants/{TENANT}/faq/versions").json()["versions"] == before


@pytest.mark.parametrize(
    ("header", "status"),
    [(None, 401), ("Bearer wrong", 401), ("Basic " + ADMIN_TOKEN, 401), ("Bearer fqb_0123_abc", 401)],
)
def test_missing_or_wrong_token_is_401(server: LiveServer, header: str | None, status: int) -> None:
    headers = {"Authorization": header} if header else {}
    with httpx.Client(base_url=server.url, headers=headers) as client:
        response = client.get(f"/api/v1/admin/tenants/{TENANT}/faq/versions")
    assert response.status_code == status
    assert response.json()["error"]["code"] == "http_401"


def test_tenant_token_is_403_on_another_tenant(server: LiveServer) -> None:
    token = server.runtime.store.tokens.create(TENANT)
    client = server.client(token)
    assert client.get(f"/api/v1/admin/tenants/{TENANT}/faq/versions").status_code == 200
    for method, path in [
        ("GET", f"/api/v1/admin/tenants/{OTHER}/faq/versions"),
        ("GET", f"/api/v1/admin/tenants/{OTHER}/stats"),
        ("GET", f"/api/v1/admin/tenants/{OTHER}/unanswered"),
        ("POST", f"/api/v1/admin/tenants/{OTHER}/faq/rollback"),
        ("POST", f"/api/v1/admin/tenants/{OTHER}/faq/versions/1/publish"),
    ]:
        assert client.request(method, path, json={"version": 1}).status_code == 403, path
    assert upload(client, OTHER, "faq.csv", csv_bytes([])).status_code == 403
    assert client.get("/api/v1/admin/me").json()["tenants"] == [
        {"id": TENANT, "display_name": server.runtime.tenant(TENANT).display_name}
    ]


def test_token_cli_prints_a_working_token_alone_on_the_last_line(server: LiveServer) -> None:
    done = run_cli(server, "token", "create", "--tenant", TENANT)
    assert done.returncode == 0, done.stderr
    token = done.stdout.splitlines()[-1]
    assert token.startswith("fqb_") and " " not in token
    assert server.client(token).get(f"/api/v1/admin/tenants/{TENANT}/faq/versions").status_code == 200


def test_conversations_feed_unanswered_and_stats(server: LiveServer) -> None:
    admin = server.client(ADMIN_TOKEN)
    for text in [
        "우주선 발사 일정 문자로 보내 주세요 제 번호 010-1234-5678",
        "드론쇼 몇 시에 해요?",
        "우주선 발사 일정",
    ]:
        chat(admin, text)
    reply = chat(admin, "유등축제 기간이 언제예요?")
    session = admin.post(
        "/api/v1/chat",
        json={"tenant": TENANT, "message": f'/feedback{{"faq_id":"{reply["faq_id"]}","helpful":true}}'},
    )
    assert session.status_code == 200
    groups = admin.get(f"/api/v1/admin/tenants/{TENANT}/unanswered").json()["groups"]
    texts = [q["text"] for g in groups for q in g["questions"]]
    assert any("[전화번호]" in t for t in texts)
    assert not any("010-1234-5678" in t for t in texts)
    stats = admin.get(f"/api/v1/admin/tenants/{TENANT}/stats").json()
    today = stats["per_day"][-1]
    assert today["total"] >= 4
    assert stats["feedback"][-1]["up"] >= 1
    assert stats["rates"]["answer"] > 0 and stats["rates"]["fallback"] > 0


def test_cli_import_publish_reaches_the_running_server(server: LiveServer, tmp_path: Path) -> None:
    tenant = "seohae-mudfest"
    question = "갯벌 체험장에 장화를 빌려주나요?"
    rows = [row(e) for e in server.runtime.live_entries(tenant)]
    rows.append(
        [
            "boots-rental",
            "체험",
            question,
            "장화는 체험장 입구 대여소에서 2,000원에 빌릴 수 있습니다.",
            "",
            "",
        ]
    )
    (tmp_path / "faq.csv").write_bytes(csv_bytes(rows, encoding="utf-8-sig"))
    done = run_cli(server, "faq", "import", "--tenant", tenant, str(tmp_path / "faq.csv"), "--publish")
    assert done.returncode == 0, done.stderr
    version = int(done.stdout.splitlines()[-1])
    assert "추가 1건" in done.stderr
    published = time.monotonic()
    while server.runtime.serving_version(tenant) != version:
        assert time.monotonic() - published < 10, "the server did not load the CLI's publish"
        time.sleep(0.1)
    assert server.runtime.search(tenant, question).hits[0].faq_id == "boots-rental"

    listing = run_cli(server, "faq", "versions", "--tenant", tenant)
    assert listing.returncode == 0 and "게시 중" in listing.stderr
    back = run_cli(server, "faq", "rollback", "--tenant", tenant, "--to", str(version - 1))
    assert back.returncode == 0, back.stderr
    while server.runtime.serving_version(tenant) != version - 1:
        assert time.monotonic() - published < 60
        time.sleep(0.1)
    assert server.runtime.search(tenant, question).hits[0].faq_id != "boots-rental"


def test_single_faq_edits_publish_new_versions(server: LiveServer) -> None:
    tenant = "gaeram-univ"
    admin = server.client(ADMIN_TOKEN)
    base = f"/api/v1/admin/tenants/{tenant}/faq/edits"
    question = "졸업 앨범은 언제 배부하나요?"
    added = admin.post(f"{base}/new-faq", json={"question": question, "answer": "2월 졸업식 날 배부합니다."})
    assert added.status_code == 202, added.text
    assert [a["question"] for a in added.json()["diff"]["added"]] == [question]
    wait_live(admin, tenant, added.json()["version"])
    faq_id = server.runtime.search(tenant, question).hits[0].faq_id
    assert faq_id == added.json()["diff"]["added"][0]["id"]

    fixed = admin.post(
        f"{base}/answer", json={"faq_id": faq_id, "answer": "2월 학위수여식 날 학과 사무실에서 배부합니다."}
    )
    assert fixed.status_code == 202
    assert fixed.json()["diff"]["changed"] == [{"id": faq_id, "question": question, "fields": ["answer"]}]
    wait_live(admin, tenant, fixed.json()["version"])
    entry = next(e for e in server.runtime.live_entries(tenant) if e.id == faq_id)
    assert entry.answer.startswith("2월 학위수여식")

    missing = admin.post(f"{base}/alt-question", json={"faq_id": "no-such-faq", "question": "아무거나"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "faq_not_found"
    audit = [e["action"] for e in admin.get(f"/api/v1/admin/tenants/{tenant}/audit").json()["events"]]
    assert audit[:4] == ["publish", "edit", "publish", "edit"]


def test_openapi_names_the_bearer_scheme_on_the_admin_api(server: LiveServer) -> None:
    spec = server.client().get("/openapi.json").raise_for_status().json()
    assert spec["components"]["securitySchemes"]["HTTPBearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "운영자 토큰 (`faqbot token create`) — operator token",
    }
    publish = spec["paths"]["/api/v1/admin/tenants/{tenant_id}/faq/versions/{version}/publish"]["post"]
    assert publish["security"] == [{"HTTPBearer": []}]
    assert "security" not in spec["paths"]["/api/v1/chat"]["post"]
