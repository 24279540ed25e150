"""Operator console flows in headless Chromium against the real server: log in, upload (report and
diff), publish, roll back, unanswered questions → alternative question, charts. Screenshots go to
test-artifacts/."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from bot.operators import FaqLifecycle
from tests.operators.files import NEW_FAQ, csv_bytes, row
from tests.operators.live_server import LiveServer

pytestmark = pytest.mark.browser
TENANT = "namgang-lantern"


def login(page: Page, server: LiveServer) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    token = server.runtime.store.tokens.create(TENANT, "console test")
    page.goto(f"{server.url}/admin")
    page.get_by_test_id("token").fill(token)
    page.get_by_role("button", name="로그인").click()
    live = server.runtime.live_version(TENANT).version
    expect(page.get_by_test_id(f"version-{live}")).to_contain_text("게시 중")
    return problems


def test_upload_publish_rollback(server: LiveServer, page: Page, tmp_path: Path, artifacts: Path) -> None:
    problems = login(page, server)
    live = server.runtime.live_entries(TENANT)

    bad = [row(e) for e in live]
    bad[3][3] = ""
    (tmp_path / "bad.csv").write_bytes(csv_bytes(bad))
    page.get_by_test_id("file").set_input_files(tmp_path / "bad.csv")
    page.get_by_role("button", name="검증하기").click()
    expect(page.get_by_test_id("report-summary")).to_contain_text("오류 1건")
    expect(page.get_by_test_id("errors")).to_contain_text("답변이 비어 있습니다")
    expect(page.get_by_test_id("publish-draft")).to_have_count(0)
    page.screenshot(path=str(artifacts / "console-report-errors.png"), full_page=True)

    good = [row(e) for e in live] + [row(NEW_FAQ)]
    (tmp_path / "good.csv").write_bytes(csv_bytes(good))
    page.get_by_test_id("file").set_input_files(tmp_path / "good.csv")
    page.get_by_role("button", name="검증하기").click()
    expect(page.get_by_test_id("report-summary")).to_contain_text("버전 3 초안: 오류 0건")
    expect(page.get_by_test_id("report")).to_contain_text(NEW_FAQ.question)
    expect(page.get_by_test_id("report")).not_to_contain_text("null")
    page.get_by_test_id("publish-draft").click()
    expect(page.get_by_test_id("status")).to_contain_text("버전 3이(가) 게시되었습니다", timeout=60_000)
    expect(page.get_by_test_id("version-3")).to_contain_text("게시 중")
    expect(page.get_by_test_id("version-1")).to_contain_text("보관")
    page.screenshot(path=str(artifacts / "console-published.png"), full_page=True)
    assert server.runtime.search(TENANT, NEW_FAQ.question).hits[0].faq_id == NEW_FAQ.id

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("rollback-1").click()
    expect(page.get_by_test_id("status")).to_contain_text("버전 1이(가) 게시되었습니다", timeout=60_000)
    expect(page.get_by_test_id("version-1")).to_contain_text("게시 중")
    page.screenshot(path=str(artifacts / "console-rolled-back.png"), full_page=True)
    assert server.runtime.search(TENANT, NEW_FAQ.question).hits[0].faq_id != NEW_FAQ.id
    assert problems == []


def test_unanswered_question_becomes_an_alternative_question(
    server: LiveServer, page: Page, artifacts: Path
) -> None:
    question = "유등 띄우기 체험 몇살부터 할수있어요 <b>?</b>"  # markup must show as text
    with httpx.Client(base_url=server.url) as client:
        for text in [question, question, "우주선 발사 일정 알려줘", "드론쇼 예매는 어디서?"]:
            client.post("/api/v1/chat", json={"tenant": TENANT, "message": text}).raise_for_status()
    problems = login(page, server)
    page.get_by_role("button", name="미해결 질문").click()
    groups = page.get_by_test_id("group")
    expect(groups.first).to_be_visible()
    first = groups.filter(has=page.locator("h3", has_text="유등 띄우기 체험 몇살부터"))
    expect(first).to_contain_text("2회")
    expect(first.locator("h3")).to_contain_text("<b>?</b>")
    page.screenshot(path=str(artifacts / "console-unanswered.png"), full_page=True)

    target = first.get_by_test_id("faq-select").input_value()
    following = max(v.version for v in server.runtime.store.versions.list(TENANT)) + 1
    first.get_by_test_id("add-alt").click()
    published = f"버전 {following}이(가) 게시되었습니다"
    expect(page.get_by_test_id("status")).to_contain_text(published, timeout=60_000)
    entry = next(e for e in server.runtime.live_entries(TENANT) if e.id == target)
    assert question in entry.alt_questions
    assert server.runtime.search(TENANT, question).hits[0].faq_id == target

    page.get_by_role("button", name="통계").click()
    expect(page.get_by_test_id("chart-daily").locator("rect").first).to_be_attached()
    page.screenshot(path=str(artifacts / "console-stats.png"), full_page=True)
    assert problems == []


def test_synonyms_edit_and_rollback(server: LiveServer, page: Page, artifacts: Path) -> None:
    problems = login(page, server)
    page.get_by_role("button", name="유의어").click()
    text = page.get_by_test_id("synonyms-text")
    expect(text).not_to_have_value("")
    shipped = text.input_value()
    first = max(v.version for v in server.runtime.store.synonyms.list(TENANT))
    assert server.runtime.normalise(TENANT, "불빛배 타는 곳") == "불빛배 타는 곳"

    text.fill(shipped + "\n유람선: 불빛배, 등불배")
    shown: list[str] = []
    page.once("dialog", lambda dialog: (shown.append(dialog.message), dialog.accept()))
    page.get_by_test_id("synonyms-save").click()
    expect(page.get_by_test_id("status")).to_contain_text(f"유의어 버전 {first + 1}을(를) 저장했습니다")
    expect(page.get_by_test_id(f"synonyms-version-{first + 1}")).to_contain_text("게시 중")
    assert server.runtime.normalise(TENANT, "불빛배 타는 곳") == "유람선 타는 곳"
    assert "추가 1개: 유람선" in shown[0] and "삭제 0개" in shown[0]  # the diff came first
    page.screenshot(path=str(artifacts / "console-synonyms.png"), full_page=True)

    text.fill("유람선 불빛배")  # no colon: refused in the page, nothing sent
    page.get_by_test_id("synonyms-save").click()
    expect(page.get_by_test_id("status")).to_contain_text("1번째 줄")
    assert max(v.version for v in server.runtime.store.synonyms.list(TENANT)) == first + 1

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id(f"synonyms-rollback-{first}").click()
    expect(page.get_by_test_id("status")).to_contain_text(f"유의어 버전 {first}(으)로 되돌렸습니다")
    assert server.runtime.normalise(TENANT, "불빛배 타는 곳") == "불빛배 타는 곳"
    assert problems == []


def test_a_mass_deletion_needs_confirming_and_a_draft_can_be_discarded(
    server: LiveServer, page: Page, tmp_path: Path
) -> None:
    problems = login(page, server)
    live = server.runtime.live_version(TENANT)
    (tmp_path / "one.csv").write_bytes(csv_bytes([row(live.entries[0])]))
    for _ in range(2):
        page.get_by_test_id("file").set_input_files(tmp_path / "one.csv")
        page.get_by_role("button", name="검증하기").click()
        expect(page.get_by_test_id("warnings")).to_contain_text("지워집니다")
    drafts = [v.version for v in server.runtime.store.versions.list(TENANT) if v.state == "draft"][:2]

    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_test_id(f"publish-{drafts[0]}").click()
    expect(page.get_by_test_id("status")).to_contain_text("게시를 취소했습니다")
    assert "지웁니다" in asked[0] and server.runtime.live_version(TENANT).version == live.version

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id(f"discard-{drafts[1]}").click()
    expect(page.get_by_test_id(f"version-{drafts[1]}")).to_have_count(0)
    assert drafts[1] not in [v.version for v in server.runtime.store.versions.list(TENANT)]

    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id(f"publish-{drafts[0]}").click()
    expect(page.get_by_test_id("status")).to_contain_text(
        f"버전 {drafts[0]}이(가) 게시되었습니다", timeout=60_000
    )
    assert len(server.runtime.live_entries(TENANT)) == 1
    assert problems == []
    FaqLifecycle(server.runtime).rollback(TENANT, live.version, "test")  # the next test's FAQ set


def test_console_is_served_under_a_strict_csp(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url) as client:
        page = client.get("/admin")
        assert page.status_code == 200
        csp = page.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "<script>" not in page.text and " on" not in re.sub(r"\s+", " ", page.text).replace(" one", "")
        assert client.get("/admin/static/console.js").headers["content-type"].startswith("text/javascript")
        assert client.get("/admin/static/..%2fconsole.py").status_code == 404
