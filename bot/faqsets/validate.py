"""Row-level validation of a parsed FAQ file into FAQ entries, errors (blocking) and warnings."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.faqsets.parse import TRANSLATED_LANGUAGES, RawRow
from retrieval import FaqEntry, Translation

MAX_QUESTION = 300
MAX_ANSWER = 2000
COMFORTABLE_ANSWER = 600  # longer answers need scrolling in the phone widget
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")


@dataclass(frozen=True)
class RowIssue:
    row: int
    column: str
    message: str  # Korean, shown to operators
    message_en: str

    def to_dict(self) -> dict[str, object]:
        return {
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "message_en": self.message_en,
        }


@dataclass
class ValidationReport:
    entries: list[FaqEntry] = field(default_factory=list)
    errors: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# What a spreadsheet runs as a formula (=HYPERLINK(…), +cmd|…, @SUM(…)); a "- " bullet is text.
_FORMULA_LIKE = re.compile(r"^(?:[=+@\t\r]|-(?=[^\s-]))")


def formula_like(fields: dict[str, str]) -> list[str]:
    """The fields whose text a spreadsheet would run as a formula if the set is exported again."""
    return [name for name, value in fields.items() if _FORMULA_LIKE.match(value)]


def derive_id(question: str) -> str:
    """A stable id for a row without one: the same question always gets the same id."""
    return "faq-" + hashlib.sha1(question.strip().encode("utf-8")).hexdigest()[:10]


def _alts(value: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in re.split(r"\s*[|\n]\s*", value) if a.strip())


_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _translations(
    fields: dict[str, str], error: Callable[[str, str, str], None], warn: Callable[[RowIssue], None], row: int
) -> tuple[Translation, ...]:
    """The row's question_xx / answer_xx cells, checked like the Korean ones."""
    found = []
    for language in TRANSLATED_LANGUAGES:
        question, answer = fields.get(f"question_{language}", ""), fields.get(f"answer_{language}", "")
        if len(question) > MAX_QUESTION:
            ko = f"질문({language})이 너무 깁니다 (최대 {MAX_QUESTION}자)."
            error(f"question_{language}", ko, "question too long")
        if len(answer) > MAX_ANSWER:
            ko = f"답변({language})이 너무 깁니다 (최대 {MAX_ANSWER}자)."
            error(f"answer_{language}", ko, "answer too long")
        if _HANGUL.search(answer):
            warn(
                RowIssue(
                    row,
                    f"answer_{language}",
                    f"답변({language})에 한글이 있습니다: 번역이 덜 되었는지 확인해 주세요.",
                    "translated answer contains Hangul",
                )
            )
        if question or answer:
            found.append(Translation(language, question or None, answer or None))
    return tuple(found)


def validate_rows(rows: list[RawRow]) -> ValidationReport:
    report = ValidationReport()
    seen_ids: dict[str, int] = {}
    seen_questions: dict[str, tuple[int, str]] = {}
    for raw in rows:
        f = raw.fields
        issues = len(report.errors)

        def error(column: str, ko: str, en: str, row: int = raw.row) -> None:
            report.errors.append(RowIssue(row, column, ko, en))

        question, answer = f.get("question", ""), f.get("answer", "")
        if not question:
            error("question", "질문이 비어 있습니다.", "question is empty")
        elif len(question) > MAX_QUESTION:
            error(
                "question",
                f"질문이 너무 깁니다 ({len(question)}자, 최대 {MAX_QUESTION}자).",
                "question too long",
            )
        if not answer:
            error("answer", "답변이 비어 있습니다.", "answer is empty")
        elif len(answer) > MAX_ANSWER:
            error("answer", f"답변이 너무 깁니다 ({len(answer)}자, 최대 {MAX_ANSWER}자).", "answer too long")
        faq_id = f.get("id") or (derive_id(question) if question else "")
        if f.get("id") and not ID_PATTERN.match(faq_id):
            error(
                "id", "id는 영문·숫자·-·_·. 로 80자 이내여야 합니다.", "id must be [A-Za-z0-9_.-], ≤80 chars"
            )
        elif faq_id in seen_ids:
            error(
                "id",
                f"id '{faq_id}'가 {seen_ids[faq_id]}행과 중복됩니다.",
                f"duplicate id (row {seen_ids[faq_id]})",
            )
        translations = _translations(f, error, report.warnings.append, raw.row)
        link = f.get("link", "")
        if link and not re.match(r"^https?://\S+$", link):
            error("link", "링크는 http:// 또는 https:// 로 시작해야 합니다.", "link must be an http(s) URL")
        for column in sorted(raw.formulas):
            error(
                column,
                "엑셀 수식 셀입니다. 수식 대신 값으로 붙여 넣어 저장해 주세요.",
                "XLSX formula cell: paste it as a value",
            )
        if len(report.errors) > issues:
            continue
        for column in formula_like(f):
            report.warnings.append(
                RowIssue(
                    raw.row,
                    column,
                    "수식처럼 보이는 내용입니다(=, +, -, @로 시작). 수식으로 실행되지 않고 글자 그대로 "
                    "저장됩니다.",
                    "looks like a spreadsheet formula; stored as text",
                )
            )
        seen_ids[faq_id] = raw.row
        key = re.sub(r"\s+", "", question)
        if key in seen_questions:
            first_row, first_answer = seen_questions[key]
            ko = f"{first_row}행과 같은 질문입니다" + (
                " (답변이 서로 다릅니다)." if first_answer != answer else "."
            )
            report.warnings.append(RowIssue(raw.row, "question", ko, f"same question as row {first_row}"))
        seen_questions.setdefault(key, (raw.row, answer))
        if len(answer) > COMFORTABLE_ANSWER:
            report.warnings.append(
                RowIssue(
                    raw.row,
                    "answer",
                    f"답변이 {len(answer)}자로 길어 휴대폰 화면에서 읽기 어렵습니다.",
                    "long answer",
                )
            )
        report.entries.append(
            FaqEntry(
                faq_id,
                f.get("category", ""),
                question,
                answer,
                _alts(f.get("alt_questions", "")),
                link or None,
                translations,
            )
        )
    if not rows:
        report.errors.append(RowIssue(1, "", "FAQ 항목이 하나도 없습니다.", "no FAQ rows"))
    return report
