"""The bot's own words in en/ja/zh: complete, Hangul-free, overridable per tenant, validated."""

from __future__ import annotations

import datetime as dt
import re
import string
from pathlib import Path

import pytest

from bot.chat import render
from bot.errors import TenantConfigError
from bot.i18n.catalogue import CATALOGUE, PORTAL_CATALOGUE
from bot.i18n.detect import FOREIGN, Language
from bot.tenancy.settings import TenantSettings, load_tenant_settings
from retrieval import FaqEntry, Translation

ROOT = Path(__file__).resolve().parents[2]
HANGUL = re.compile(r"[\uac00-\ud7a3\u3130-\u318f]")
TENANTS = ("gaeram-univ", "seohae-mudfest", "namgang-lantern")
# Before, during and after the festivals' dates: every calendar line.
DAYS = (
    dt.date(2026, 6, 1),
    dt.date(2026, 7, 17),
    dt.date(2026, 7, 20),
    dt.date(2026, 10, 15),
    dt.date(2026, 12, 1),
)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", [*sorted(CATALOGUE), *sorted(PORTAL_CATALOGUE)])
def test_every_message_exists_in_every_foreign_language_without_hangul(key: str) -> None:
    texts = {**CATALOGUE, **PORTAL_CATALOGUE}[key]  # type: ignore[index]
    assert set(FOREIGN) <= set(texts)
    assert all(not HANGUL.search(texts[language]) for language in FOREIGN)
    assert len({frozenset(_fields(t)) for t in texts.values()}) == 1, "placeholders differ"


def _tenant(tenant_id: str) -> TenantSettings:
    return load_tenant_settings(ROOT / "data" / "tenants" / tenant_id / "tenant.yml")


@pytest.mark.parametrize("language", FOREIGN)
@pytest.mark.parametrize("tenant_id", TENANTS)
def test_no_hangul_in_the_bots_own_words(tenant_id: str, language: Language) -> None:
    tenant = _tenant(tenant_id)
    translated = FaqEntry(
        "x", "", "질문", "답변", link="https://example.org", translations=(Translation(language, "Q", "A"),)
    )
    messages = [
        *render.answer_messages(tenant, translated, language),
        *render.handoff_messages(tenant, language),
        *render.feedback_messages(tenant, False, language),
        *render.feedback_messages(tenant, True, language),
    ]
    for today in DAYS:
        messages += render.greeting_messages(tenant, today, language)
        messages += render.fallback_messages(tenant, today, language=language)
    others = [_tenant(t) for t in TENANTS if t != tenant_id]
    messages += render.fallback_messages(tenant, elsewhere=others, language=language)
    for message in messages:
        assert not HANGUL.search(message.text), message.text
        # Category buttons ask in the visitor's language too.
        assert not any(HANGUL.search(b.title) or HANGUL.search(b.payload) for b in message.buttons)


def test_a_korean_only_answer_comes_after_a_note_with_the_foreign_visitor_contact() -> None:
    tenant = _tenant("seohae-mudfest")
    entry = FaqEntry("x", "", "질문", "한국어 답변입니다.")
    (answer, _) = render.answer_messages(tenant, entry, "en")
    note, korean = answer.text.split("\n\n")
    assert note.startswith("This answer is available in Korean only.")
    assert tenant.languages["en"].foreign_contact in note
    assert korean == entry.answer
    (answer, _) = render.answer_messages(tenant, entry, "ko")
    assert answer.text == entry.answer


def _with(tmp_path: Path, extra: str) -> Path:
    source = (ROOT / "data" / "tenants" / "namgang-lantern" / "tenant.yml").read_text(encoding="utf-8")
    base = source.split("\nlanguages:")[0]
    path = tmp_path / "namgang-lantern" / "tenant.yml"
    path.parent.mkdir()
    path.write_text(base + "\n" + extra, encoding="utf-8")
    return path


def test_a_tenant_overrides_a_message(tmp_path: Path) -> None:
    path = _with(
        tmp_path, 'languages:\n  en:\n    messages: {suggest_prompt: "Did you mean one of these?"}\n'
    )
    tenant = load_tenant_settings(path)
    hit = type("H", (), {"faq_id": "x", "entry": FaqEntry("x", "", "질문", "답")})()
    assert render.suggest_messages(tenant, [hit], "en")[0].text == "Did you mean one of these?"
    assert render.suggest_messages(tenant, [hit], "ja")[0].text == CATALOGUE["suggest_prompt"]["ja"]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ('languages:\n  en:\n    messages: {korean_only: "Ask {whom}"}\n', "unknown placeholder {whom}"),
        (
            'languages:\n  en:\n    messages: {no_such_message: "x"}\n',
            "languages.en.messages.no_such_message",
        ),
        ("languages:\n  fr:\n    short_name: Fête\n", "languages.fr"),
        ("languages:\n  en:\n    contacts: {없는팀: {name: Nobody}}\n", "no contact named 없는팀"),
        ("languages:\n  en:\n    top_categories: [Tickets]\n", "one title per top category"),
        ("languages:\n  en:\n    greting: Hi\n", "languages.en.greting"),
    ],
)
def test_a_bad_language_block_names_the_field(tmp_path: Path, extra: str, field: str) -> None:
    with pytest.raises(TenantConfigError) as raised:
        load_tenant_settings(_with(tmp_path, extra))
    assert field in str(raised.value)
