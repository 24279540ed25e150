"""A tenant's voice in one foreign language: the catalogue's words with the tenant's overrides,
its names and contacts as ``tenant.yml`` translates them, and its calendar lines."""

from __future__ import annotations

import datetime as dt

from bot import calendar
from bot.i18n.catalogue import CATALOGUE, MessageKey
from bot.i18n.detect import Language
from bot.tenancy.settings import Calendar, Contact, SpokenLanguage, TenantLanguage, TenantSettings

_WEEKDAYS: dict[Language, tuple[str, ...]] = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "ja": ("月", "火", "水", "木", "金", "土", "日"),
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _texts(tenant: TenantSettings, language: Language) -> TenantLanguage:
    """The tenant's own texts in ``language`` (none for Korean: its tenant.yml is Korean)."""
    if language == "ko":
        return TenantLanguage()
    return tenant.languages.get(language) or TenantLanguage()


def say(tenant: TenantSettings, language: Language, key: MessageKey, **fields: object) -> str:
    """One catalogue message in ``language``, as the tenant overrides it (Korean is never overridden)."""
    template = _texts(tenant, language).messages.get(key) or CATALOGUE[key][language]
    return template.format(**fields)


def contact_line(contact: Contact, texts: SpokenLanguage) -> str:
    """The contact's line as ``texts`` translate it (its own Korean line where they do not)."""
    text = texts.contacts.get(contact.name)
    if text is None:
        return contact.line()
    return contact.model_copy(
        update={"name": text.name or contact.name, "hours": text.hours, "office": text.office}
    ).line()


class Voice:
    """Everything the bot says for ``tenant`` in ``language`` (Korean: the tenant's own texts)."""

    def __init__(self, tenant: TenantSettings, language: Language) -> None:
        self.tenant = tenant
        self.language = language
        self.texts = _texts(tenant, language)

    def say(self, key: MessageKey, **fields: object) -> str:
        return say(self.tenant, self.language, key, **fields)

    @property
    def name(self) -> str:
        return self.texts.short_name or self.tenant.short_name

    def contact_line(self, contact: Contact) -> str:
        return contact_line(contact, self.texts)

    @property
    def foreign_contact(self) -> str:
        return self.texts.foreign_contact or self.contact_line(self.tenant.main_contact)

    def categories(self) -> list[tuple[str, str]]:
        """(title, question) of each greeting button: a foreign visitor's button asks in their language."""
        titles = self.texts.top_categories
        if titles is None:
            return [(c, f"{c} 안내") for c in self.tenant.top_categories]
        return [(t, t) for t in titles]

    def greeting(self, today: dt.date) -> str:
        text = self.texts.greeting or self.say("greeting", name=self.name)
        line = self.status_line(today)
        return f"{text}\n{line}" if line else text

    def fallback(self, today: dt.date) -> str:
        text = self.texts.fallback or self.say("fallback")
        line = self.status_line(today)
        return f"{text}\n{line}" if line else text

    def _day(self, date: dt.date) -> str:
        weekday = _WEEKDAYS[self.language][date.weekday()]
        if self.language == "en":
            return f"{weekday} {date.day} {_MONTHS[date.month - 1]} {date.year}"
        return f"{date.year}年{date.month}月{date.day}日({weekday})"

    def period(self, cal: Calendar) -> str:
        return self.say("period", start=self._day(cal.start), end=self._day(cal.end))

    def status_line(self, today: dt.date) -> str | None:
        """Where the event stands today, like ``calendar.status_line`` in Korean."""
        cal = self.tenant.calendar
        if cal is None:
            return None
        status = calendar.event_status(cal, today)
        if status.phase == "upcoming":
            return self.say("upcoming", name=self.name, days=status.days, period=self.period(cal))
        if status.phase == "ongoing":
            if status.is_last_day:
                day = self.say("last_day")
            elif status.days == 1:
                day = self.say("first_day")
            else:
                day = self.say("nth_day", days=status.days)
            return self.say("ongoing", name=self.name, day=day, hours=self.texts.hours or cal.hours)
        next_edition = self.texts.next_edition or self.say("next_edition")
        return self.say("over", name=self.name, end=self._day(cal.end), next_edition=next_edition)
