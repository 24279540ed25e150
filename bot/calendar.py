"""Where a festival stands today: upcoming (D-day), on (today's hours) or over (next edition).

The clock is injected (a function returning today's date in Korea) so that tests and benchmarks
can pin a date; nothing here reads the system time except ``korea_today``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from bot.tenancy import Calendar, TenantSettings
from nlu.korean import content_morphemes

Clock = Callable[[], dt.date]
Phase = Literal["upcoming", "ongoing", "over"]

# Korea has no daylight saving time: a fixed offset is exact and needs no tz database.
KST = dt.timezone(dt.timedelta(hours=9), "KST")
_WEEKDAYS = "월화수목금토일"

# Words of a "when is it on?" question. A question made only of these (and the tenant's own
# names) asks about the event itself; "셔틀버스 언제 와요" names something else and is left to the FAQ.
_WHEN_WORDS = frozenset(
    {"언제", "며칠", "몇일", "날짜", "기간", "일정", "디데이", "d", "day", "몇", "시", "시간"}
)
_EVENT_WORDS = frozenset(
    {
        "축제", "행사", "개막", "폐막", "개최", "시작", "끝나다", "끝", "마치다", "하다", "열리다", "열다",
        "되다", "어떻다", "올해", "이번", "오늘", "내일", "지금", "남다", "운영", "부터", "까지",
    }
)  # fmt: skip


def korea_today() -> dt.date:
    """Today's date in Korea (the default clock)."""
    return dt.datetime.now(KST).date()


@dataclass(frozen=True)
class EventStatus:
    phase: Phase
    # upcoming: days until the first day (D-n); ongoing: 1-based day of the event; over: days since.
    days: int
    is_last_day: bool = False


def event_status(calendar: Calendar, today: dt.date) -> EventStatus:
    if today < calendar.start:
        return EventStatus("upcoming", (calendar.start - today).days)
    if today <= calendar.end:
        return EventStatus("ongoing", (today - calendar.start).days + 1, today == calendar.end)
    return EventStatus("over", (today - calendar.end).days)


def _has_batchim(word: str) -> bool:
    last = word.rstrip()[-1:]
    return "가" <= last <= "힣" and (ord(last) - ord("가")) % 28 != 0


def _topic(word: str) -> str:
    """The word with its topic particle: 축제는, 학교는 / 행사장은."""
    return word + ("은" if _has_batchim(word) else "는")


def _is(word: str) -> str:
    """The word with the polite copula: 날이에요 / 3일째예요."""
    return word + ("이에요" if _has_batchim(word) else "예요")


def _day(date: dt.date) -> str:
    return f"{date.month}월 {date.day}일({_WEEKDAYS[date.weekday()]})"


def period(calendar: Calendar) -> str:
    """'2026년 7월 17일(금)부터 7월 26일(일)까지'."""
    return f"{calendar.start.year}년 {_day(calendar.start)}부터 {_day(calendar.end)}까지"


def status_line(tenant: TenantSettings, today: dt.date) -> str | None:
    """One sentence on where the event stands today; None for tenants without a calendar."""
    calendar = tenant.calendar
    if calendar is None:
        return None
    status = event_status(calendar, today)
    name = tenant.short_name
    if status.phase == "upcoming":
        return f"{name}까지 D-{status.days}! {period(calendar)} 열려요."
    if status.phase == "ongoing":
        day = "마지막 날" if status.is_last_day else "첫날" if status.days == 1 else f"{status.days}일째"
        return f"오늘은 {name} {_is(day)}. 오늘 운영시간: {calendar.hours}"
    next_edition = calendar.next_edition or "다음 행사 일정은 확정되는 대로 안내해 드릴게요."
    return f"{_topic(name)} {_day(calendar.end)}에 끝났어요. {next_edition}"


def greeting_text(tenant: TenantSettings, today: dt.date) -> str:
    line = status_line(tenant, today)
    return f"{tenant.greeting}\n{line}" if line else tenant.greeting


def fallback_text(tenant: TenantSettings, today: dt.date) -> str:
    line = status_line(tenant, today)
    return f"{tenant.fallback}\n{line}" if line else tenant.fallback


def asks_when(tenant: TenantSettings, text: str) -> bool:
    """Is ``text`` a question about when the event itself is on ("언제 해요?", "축제 며칠까지야")?"""
    if tenant.calendar is None:
        return False
    names = {w for name in (tenant.short_name, *tenant.aliases) for w in content_morphemes(name)}
    words = set(content_morphemes(text))
    return bool(words & _WHEN_WORDS) and words <= _WHEN_WORDS | _EVENT_WORDS | names


def calendar_answer(tenant: TenantSettings, today: dt.date) -> str | None:
    """The dates, daily hours and today's status, for a "when" question the FAQ cannot answer."""
    calendar = tenant.calendar
    if calendar is None:
        return None
    answer = f"{_topic(tenant.short_name)} {period(calendar)} 열립니다. 운영시간: {calendar.hours}"
    line = status_line(tenant, today)
    return f"{answer}\n{line}" if line else answer


def when_answer(tenant: TenantSettings, text: str, today: dt.date) -> str | None:
    """The calendar's answer when ``text`` asks when the event is on, else None."""
    return calendar_answer(tenant, today) if asks_when(tenant, text) else None
