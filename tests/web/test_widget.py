"""The widget on the demo page in real headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Locator, Page, expect

from bot.runtime import Runtime

pytestmark = pytest.mark.browser

MUD = "seohae-mudfest"


def open_demo(page: Page, server_url: str) -> list[str]:
    """Load the demo page; returns the console errors seen from now on."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server_url + "/")
    return errors


def widget(page: Page, tenant: str = MUD) -> Locator:
    host = page.locator(f'[data-faqbot="{tenant}"]')
    expect(host.locator(".msg.bot").first).to_be_visible()  # greeting loaded
    return host


def ask(host: Locator, question: str) -> None:
    before = host.locator(".msg.bot").count()
    host.get_by_label("질문 입력").fill(question)
    host.get_by_label("질문 입력").press("Enter")
    expect(host.locator(".msg.bot")).not_to_have_count(before)
    expect(host.locator(".typing")).to_be_hidden()


def test_demo_page_shows_three_tenants_and_answers_a_korean_question(page: Page, server_url: str) -> None:
    errors = open_demo(page, server_url)
    for tenant in ("gaeram-univ", "seohae-mudfest", "namgang-lantern"):
        expect(widget(page, tenant).get_by_role("heading")).not_to_have_text("챗봇")
    host = widget(page)
    expect(host.get_by_role("heading")).to_have_text("2026 서해 머드축제")
    expect(host.get_by_role("log")).to_have_attribute("aria-live", "polite")
    expect(host.get_by_role("button", name="교통")).to_be_visible()

    ask(host, "2026 서해 머드축제는 언제 열리나요?")
    expect(host.locator(".msg.user").last).to_have_text("2026 서해 머드축제는 언제 열리나요?")
    expect(host.locator(".msg.bot .text").filter(has_text="7월 17일(금)부터")).to_have_count(1)
    expect(host.get_by_role("link", name="자세히 보기")).to_have_attribute(
        "href", "https://mudfest.example/info/overview"
    )
    expect(host.get_by_text("도움이 되었나요?")).to_be_visible()
    host.get_by_role("button", name="👍 네").click()
    expect(host.get_by_text("의견 감사합니다! 더 궁금한 점이 있으면 언제든 물어보세요.")).to_be_visible()
    expect(host.get_by_role("button", name="👍 네")).to_be_disabled()
    assert errors == []  # no CSP violations or script errors


def test_phone_numbers_become_tap_to_call_links(page: Page, server_url: str, app_runtime: Runtime) -> None:
    open_demo(page, server_url)
    host = widget(page)
    ask(host, "오늘 저녁 메뉴 골라 줘")
    if app_runtime.search(MUD, "오늘 저녁 메뉴 골라 줘").decision != "fallback":
        pytest.fail("the off-topic question is no longer refused: pick another")
    call = host.locator('a.tel[href="tel:0419303811"]').last
    expect(call).to_have_text("041-930-3811")
    expect(call).to_have_attribute("aria-label", "041-930-3811 전화 걸기")


def test_clicking_a_suggestion_answers_that_faq(page: Page, server_url: str, app_runtime: Runtime) -> None:
    candidates = (
        "축제 언제 해요?",
        "셔틀버스 타는 곳이 어디예요?",
        "머드 체험 가격",
        "버스 시간",
        "공연 순서",
    )
    vague = next(q for q in candidates if app_runtime.search(MUD, q).decision == "suggest")
    first_hit = app_runtime.search(MUD, vague).hits[0].entry
    open_demo(page, server_url)
    host = widget(page)
    ask(host, vague)
    expect(host.get_by_text("혹시 이 중에 찾으시는 질문이 있나요?")).to_be_visible()
    host.get_by_role("button", name=first_hit.question).click()
    expect(host.locator(".msg.user").last).to_have_text(first_hit.question)
    expect(host.locator(".msg.bot .text").filter(has_text=first_hit.answer[:30])).to_have_count(1)


def test_history_survives_a_reload(page: Page, server_url: str) -> None:
    open_demo(page, server_url)
    host = widget(page)
    ask(host, "화장실은 어디에 있나요?")
    count = host.locator(".msg").count()
    page.reload()
    host = widget(page)
    expect(host.locator(".msg")).to_have_count(count)
    expect(host.locator(".msg.user")).to_have_text(["화장실은 어디에 있나요?"])
    # Same session after the reload: the server sees one conversation.
    ask(host, "안녕하세요")
    session_ids = page.evaluate(
        "() => Object.keys(sessionStorage).map(k => JSON.parse(sessionStorage.getItem(k)).sessionId)"
    )
    assert len([s for s in session_ids if s]) == 1


def test_html_in_a_question_is_shown_as_text(page: Page, server_url: str) -> None:
    dialogs: list[Dialog] = []
    page.on("dialog", lambda d: (dialogs.append(d), d.dismiss()))
    open_demo(page, server_url)
    host = widget(page)
    attack = "<img src=x onerror=alert(1)>"
    ask(host, attack)
    expect(host.locator(".msg.user").last).to_have_text(attack)
    assert host.locator("img").count() == 0
    page.wait_for_timeout(300)
    assert dialogs == []


@pytest.mark.parametrize(("width", "height"), [(360, 740), (1280, 800)])
def test_screenshots_and_no_horizontal_scroll(
    page: Page, server_url: str, artifacts: Path, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    open_demo(page, server_url)
    host = widget(page)
    ask(host, "2026 서해 머드축제는 언제 열리나요?")
    widget(page, "gaeram-univ")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    if width < 400:
        host.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"demo-{width}x{height}.png"))
    host.screenshot(path=str(artifacts / f"widget-{width}x{height}.png"))


def test_floating_widget_on_a_listed_site_with_hostile_css(
    page: Page, embedding_sites: tuple[str, str], artifacts: Path
) -> None:
    listed, _ = embedding_sites
    page.set_viewport_size({"width": 360, "height": 740})  # on a phone the panel takes the screen
    page.goto(listed)  # another origin than the app's: real CORS
    host = page.locator('[data-faqbot="seohae-mudfest"]')
    launcher = host.get_by_role("button", name="💬 서해 머드축제 챗봇")
    expect(launcher).to_be_visible()  # the host's `button { display: none }` does not reach it
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.click()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(host.get_by_label("질문 입력")).to_be_focused()
    ask(host, "2026 서해 머드축제는 언제 열리나요?")
    expect(host.locator(".msg.bot .text").filter(has_text="7월 17일(금)부터")).to_have_count(1)
    assert host.locator(".msg.bot .text").first.evaluate("e => getComputedStyle(e).fontSize") == "15px"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / "floating-360x740.png"))
    page.keyboard.press("Escape")
    expect(host.get_by_role("log")).to_be_hidden()
    expect(launcher).to_be_focused()


def test_an_unlisted_site_cannot_use_the_widget(page: Page, embedding_sites: tuple[str, str]) -> None:
    _, unlisted = embedding_sites
    page.goto(unlisted)
    host = page.locator('[data-faqbot="seohae-mudfest"]')
    host.get_by_role("button", name="💬 챗봇").click()
    expect(host.locator(".msg.error")).to_have_text(["챗봇을 불러오지 못했어요. 잠시 후 다시 시도해 주세요."])


def test_keyboard_only_use(page: Page, server_url: str) -> None:
    open_demo(page, server_url)
    host = widget(page)
    host.get_by_label("질문 입력").focus()
    page.keyboard.press("Shift+Tab")  # back from the input: the last category button of the greeting
    last_category = host.get_by_role("button", name="편의시설")
    expect(last_category).to_be_focused()
    page.keyboard.press("Enter")
    expect(host.locator(".msg.user").last).to_have_text("편의시설")
    expect(host.get_by_label("질문 입력")).to_be_focused()
    expect(host.locator(".typing")).to_be_hidden()
    page.keyboard.type("화장실은 어디에 있나요?")
    page.keyboard.press("Enter")
    expect(host.locator(".msg.user").last).to_have_text("화장실은 어디에 있나요?")


ENGLISH_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Mud festival</title>
</head><body><div id="chat"></div>
<script src="/widget.js" data-tenant="seohae-mudfest" data-mount="#chat"></script></body></html>"""


def test_the_widget_speaks_english_on_an_english_page(
    page: Page, server_url: str, app_runtime: Runtime
) -> None:
    # A page of the app's own origin, served by the browser itself with lang="en".
    page.route(
        f"{server_url}/english", lambda route: route.fulfill(body=ENGLISH_PAGE, content_type="text/html")
    )
    page.goto(f"{server_url}/english")
    host = page.locator('[data-faqbot="seohae-mudfest"]')
    expect(host.locator(".msg.bot .text").first).to_contain_text("Hello! I am the guide of the 2026 Seohae")
    expect(host.get_by_role("button", name="Tickets")).to_be_visible()
    question = host.get_by_label("Your question")
    expect(question).to_have_attribute("placeholder", "Type your question")
    expect(host.get_by_role("button", name="Send")).to_be_visible()
    question.fill("is there somewhere to wash off the mud after the experience")
    question.press("Enter")
    expect(host.locator(".msg.bot .text").last).to_have_text("Is one of these what you are looking for?")
    suggestion = host.locator(".msg.bot").last.get_by_role("button").first
    title = suggestion.inner_text()
    entry = next(e for e in app_runtime.index("seohae-mudfest").entries if e.question_in("en") == title)
    suggestion.click()
    expect(host.locator(".msg.bot .text").filter(has_text=entry.answer_in("en") or "")).to_have_count(1)
    expect(host.get_by_role("button", name="👍 Yes")).to_be_visible()
