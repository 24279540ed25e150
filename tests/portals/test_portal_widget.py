"""A portal in the real widget in headless Chromium: ask, choose the tenant, stay with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.web.conftest import app_runtime, artifacts, browser, page, server_url

__all__ = ["app_runtime", "artifacts", "browser", "page", "server_url"]

pytestmark = pytest.mark.browser


def ask(host: Locator, question: str) -> None:
    before = host.locator(".msg.bot").count()
    host.get_by_label("질문 입력").fill(question)
    host.get_by_label("질문 입력").press("Enter")
    expect(host.locator(".msg.bot")).not_to_have_count(before)
    expect(host.locator(".typing")).to_be_hidden()


def test_portal_asks_then_remembers_the_choice(page: Page, server_url: str, artifacts: Path) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server_url + "/portal")
    host = page.locator('[data-faqbot="jinju"]')
    expect(host.get_by_role("heading")).to_have_text("진주시 대학·축제 통합 안내")
    expect(host.get_by_role("button", name="가람대학교")).to_be_visible()

    ask(host, "주차 요금 얼마예요?")
    expect(host.get_by_text("어느 곳에 대한 질문인가요?")).to_be_visible()
    before = host.locator(".msg.bot").count()
    host.get_by_role("button", name="남강 등불축제").last.click()
    expect(host.locator(".msg.bot")).not_to_have_count(before)
    expect(host.locator(".msg.bot .text").filter(has_text="주차")).not_to_have_count(0)

    ask(host, "가람대 학생증 재발급 어떻게 해요?")
    expect(host.locator(".msg.bot").filter(has_text="학생증")).not_to_have_count(0)
    host.screenshot(path=str(artifacts / "portal-widget.png"))
    assert errors == []
