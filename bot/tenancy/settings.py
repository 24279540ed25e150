"""Per-tenant settings: ``data/tenants/<id>/tenant.yml`` loaded into a frozen, strict model."""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Iterable
from pathlib import Path
from typing import Literal, TypeVar
from urllib.parse import quote

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.errors import TenantConfigError
from bot.i18n.catalogue import CATALOGUE, MessageKey
from retrieval import ThresholdOverrides

TENANT_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


class StrictModel(BaseModel):
    """Frozen, and an unknown key is an error: a typo in an operator's YAML never passes silently."""

    model_config = ConfigDict(frozen=True, extra="forbid")


Model = TypeVar("Model", bound=StrictModel)


class Region(StrictModel):
    sido: str
    sigungu: str
    code: str = Field(description="행정표준코드 (시군구)")


class Contact(StrictModel):
    name: str
    phone: str | None = None
    hours: str | None = None
    office: str | None = None
    main: bool = False

    def line(self) -> str:
        """'학사지원팀 055-750-1100 (평일 09:00–18:00)' — one readable line."""
        parts = [self.name]
        if self.phone:
            parts.append(self.phone)
        text = " ".join(parts)
        details = ", ".join(p for p in (self.hours, self.office) if p)
        return f"{text} ({details})" if details else text


class Place(StrictModel):
    name: str
    address: str

    @property
    def map_url(self) -> str:
        """A Kakao Map search for the place (no API key; opens the app on phones)."""
        return "https://map.kakao.com/?q=" + quote(f"{self.address} {self.name}")


class Calendar(StrictModel):
    start: dt.date
    end: dt.date
    hours: str
    # Shown once the event is over, e.g. "2027년 축제는 10월 초에 열릴 예정입니다."
    next_edition: str | None = None


class Theme(StrictModel):
    color: str = Field(default="#1f4e9c", pattern=r"^#[0-9a-fA-F]{6}$")


class HasContacts(StrictModel):
    contacts: tuple[Contact, ...] = Field(min_length=1)

    @property
    def main_contact(self) -> Contact:
        return next((c for c in self.contacts if c.main), self.contacts[0])

    def check_translated_contacts(self, languages: Iterable[tuple[str, SpokenLanguage]]) -> None:
        """ValueError when a translation (language, texts) names a contact this organisation does not have."""
        names = {c.name for c in self.contacts}
        for language, texts in languages:
            unknown = sorted(set(texts.contacts) - names)
            if unknown:
                raise ValueError(f"languages.{language}.contacts: no contact named {', '.join(unknown)}")


class KakaoChannel(StrictModel):
    """How the tenant's Kakao i skill endpoint tells its own Open Builder bot from anyone else.

    Without a ``secret`` the endpoint answers 401, unless ``open`` says on purpose that it needs
    none (the demo tenants; the server logs a warning at startup)."""

    # Sent by the skill as the X-Faqbot-Kakao-Secret header or as ?token= in the skill URL.
    secret: SecretStr | None = None
    open: bool = False


class ContactText(StrictModel):
    """A contact's name, hours and office in another language (its phone stays the same)."""

    name: str | None = None
    hours: str | None = None
    office: str | None = None


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


class SpokenLanguage(StrictModel):
    """What a tenant or a portal says in one foreign language: its name, greeting and fallback and
    its contacts (by their Korean names); whatever is missing falls back to the shipped defaults of
    ``bot.i18n.catalogue`` (with the Korean names)."""

    display_name: str | None = None
    greeting: str | None = None
    fallback: str | None = None
    # By the Korean contact name.
    contacts: dict[str, ContactText] = Field(default_factory=dict)


class TenantLanguage(SpokenLanguage):
    """How the tenant speaks to visitors in one foreign language."""

    short_name: str | None = None
    # The calendar's daily hours and next-edition line.
    hours: str | None = None
    next_edition: str | None = None
    # Titles of the greeting's category buttons, in the order of ``top_categories``.
    top_categories: tuple[str, ...] | None = None
    # Shown before a Korean-only answer: whom a visitor can ask in this language.
    foreign_contact: str | None = None
    messages: dict[MessageKey, str] = Field(default_factory=dict)

    @field_validator("messages")
    @classmethod
    def _same_placeholders(cls, messages: dict[MessageKey, str]) -> dict[MessageKey, str]:
        for key, text in messages.items():
            try:
                unknown = _fields(text) - _fields(CATALOGUE[key]["en"])
            except ValueError as exc:
                raise ValueError(f"{key}: {exc}") from exc
            if unknown:
                raise ValueError(f"{key}: unknown placeholder {{{', '.join(sorted(unknown))}}}")
        return messages


class TenantSettings(HasContacts):
    """Everything one university or festival configures for itself."""

    id: str
    display_name: str
    short_name: str
    kind: Literal["university", "festival"]
    region: Region
    aliases: tuple[str, ...] = ()
    website: str | None = None
    venue: Place | None = None
    calendar: Calendar | None = None
    greeting: str
    fallback: str
    top_categories: tuple[str, ...] = ()
    # FAQ id → the place its answer is about; the answer then shows a map link.
    places: dict[str, Place] = Field(default_factory=dict)
    theme: Theme = Theme()
    origins: tuple[str, ...] = ()
    kakao: KakaoChannel = KakaoChannel()
    # Unset thresholds come from the engine's profile for the index's signals.
    thresholds: ThresholdOverrides = ThresholdOverrides()
    languages: dict[Literal["en", "ja", "zh"], TenantLanguage] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known_contacts(self) -> TenantSettings:
        for language, texts in self.languages.items():
            if texts.top_categories is not None and len(texts.top_categories) != len(self.top_categories):
                raise ValueError(f"languages.{language}.top_categories: one title per top category")
        self.check_translated_contacts(self.languages.items())
        return self


def load_yaml_settings(path: Path, model: type[Model], model_id: str) -> Model:
    """One settings YAML file as ``model``; a bad file raises TenantConfigError naming the file and
    the field."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        # YAML's messages span several lines (with a caret under the column): one line here.
        detail = " ".join(str(exc).split())
        raise TenantConfigError(
            f"{path} 파일을 읽을 수 없습니다 ({detail}) — 파일을 UTF-8 YAML로 고치세요.",
            f"cannot read {path} ({detail}) — make it valid UTF-8 YAML.",
        ) from exc
    if not isinstance(raw, dict):
        raise TenantConfigError(
            f"{path} 설정 오류 — 최상위가 '키: 값' 매핑이어야 합니다.",
            f"invalid {path} — the top level must be a mapping of keys to values.",
        )
    try:
        return model.model_validate({"id": model_id, **raw})
    except ValidationError as exc:
        fields = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise TenantConfigError(f"{path} 설정 오류 — {fields}", f"invalid {path} — {fields}") from exc


def load_tenant_settings(path: Path) -> TenantSettings:
    """Read one ``data/tenants/<id>/tenant.yml``."""
    return load_yaml_settings(path, TenantSettings, path.parent.name)
