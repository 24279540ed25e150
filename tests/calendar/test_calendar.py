"""Event calendar states with a pinned clock, and "when is it on?" questions."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.calendar import (
    asks_when,
    calendar_answer,
    event_status,
    fallback_text,
    greeting_text,
    korea_today,
    status_line,
)
from bot.tenancy import Calendar, Contact, TenantSettings

HOURS = "10:00~19:00 (체험존 매표 18:00 마감)"


def festival(next_edition: str | None = None) -> TenantSettings:
    return TenantSettings(
        id="mudfest",
        display_name="2026 서해 머드축제",
        short_name="서해 머드축제",
        kind="festival",
        region={"sido": "충청남도", "sigungu": "보령시", "code": "44180"},
        aliases=("머드축제",),
        calendar=Calendar(
            start=dt.date(2026, 7, 17), end=dt.date(2026, 7, 26), hours=HOURS, next_edition=next_edition
        ),
        contacts=(Contact(name="종합안내소", phone="041-930-3811"),),
        greeting="안녕하세요! 서해 머드축제 안내 챗봇입니다.",
        fallback="죄송합니다. 종합안내소(041-930-3811)로 문의해 주세요.",
    )


@pytest.mark.parametrize(
    ("today", "phase", "days", "last"),
    [
        (dt.date(2026, 6, 24), "upcoming", 23, False),
        (dt.date(2026, 7, 16), "upcoming", 1, False),
        (dt.date(2026, 7, 17), "ongoing", 1, False),
        (dt.date(2026, 7, 19), "ongoing", 3, False),
        (dt.date(2026, 7, 26), "ongoing", 10, True),
        (dt.date(2026, 7, 27), "over", 1, False),
    ],
)
def test_event_status(today: dt.date, phase: str, days: int, last: bool) -> None:
    status = event_status(festival().calendar, today)  # type: ignore[arg-type]
    assert (status.phase, status.days, status.is_last_day) == (phase, days, last)


@pytest.mark.parametrize(
    ("today", "line"),
    [
        (dt.date(2026, 6, 24), "서해 머드축제까지 D-23! 2026년 7월 17일(금)부터 7월 26일(일)까지 열려요."),
        (dt.date(2026, 7, 17), f"오늘은 서해 머드축제 첫날이에요. 오늘 운영시간: {HOURS}"),
        (dt.date(2026, 7, 19), f"오늘은 서해 머드축제 3일째예요. 오늘 운영시간: {HOURS}"),
        (dt.date(2026, 7, 26), f"오늘은 서해 머드축제 마지막 날이에요. 오늘 운영시간: {HOURS}"),
        (
            dt.date(2026, 8, 1),
            "서해 머드축제는 7월 26일(일)에 끝났어요. 다음 행사 일정은 확정되는 대로 안내해 드릴게요.",
        ),
    ],
)
def test_status_line(today: dt.date, line: str) -> None:
    assert status_line(festival(), today) == line


def test_over_announces_the_next_edition_when_known() -> None:
    tenant = festival(next_edition="2027년 축제는 7월 중순에 열릴 예정이에요.")
    assert status_line(tenant, dt.date(2026, 11, 25)) == (
        "서해 머드축제는 7월 26일(일)에 끝났어요. 2027년 축제는 7월 중순에 열릴 예정이에요."
    )


def test_greeting_and_fallback_carry_the_status() -> None:
    tenant, today = festival(), dt.date(2026, 6, 24)
    line = "서해 머드축제까지 D-23! 2026년 7월 17일(금)부터 7월 26일(일)까지 열려요."
    assert greeting_text(tenant, today) == f"{tenant.greeting}\n{line}"
    assert fallback_text(tenant, today) == f"{tenant.fallback}\n{line}"


def test_tenant_without_calendar_is_unchanged() -> None:
    tenant = festival().model_copy(update={"calendar": None})
    assert status_line(tenant, dt.date(2026, 7, 19)) is None
    assert greeting_text(tenant, dt.date(2026, 7, 19)) == tenant.greeting
    assert calendar_answer(tenant, dt.date(2026, 7, 19)) is None
    assert not asks_when(tenant, "언제 해요?")


def test_calendar_answer_gives_dates_hours_and_status() -> None:
    assert calendar_answer(festival(), dt.date(2026, 7, 19)) == (
        f"서해 머드축제는 2026년 7월 17일(금)부터 7월 26일(일)까지 열립니다. 운영시간: {HOURS}\n"
        f"오늘은 서해 머드축제 3일째예요. 오늘 운영시간: {HOURS}"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("언제 해요?", True),
        ("축제 언제 시작해?", True),
        ("머드축제 기간이 어떻게 되나요", True),
        ("몇 시까지 해요?", True),
        ("디데이 며칠 남았어?", True),
        ("셔틀버스 언제 와요", False),
        ("주차장 몇 시까지?", False),
        ("입장료 얼마예요?", False),
    ],
)
def test_asks_when(text: str, expected: bool) -> None:
    assert asks_when(festival(), text) is expected


def test_default_clock_is_korean_date() -> None:
    assert korea_today() == (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=9)).date()
