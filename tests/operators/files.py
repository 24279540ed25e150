"""Operator files as operators make them: Korean headers, CSV from Excel (UTF-8 or CP949), XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

from retrieval import FaqEntry

# The demo FAQ sets carry translated questions and answers: a file written from the live set keeps them.
LANGUAGES = ("en", "ja", "zh")
HEADER_KO = [
    "id",
    "분류",
    "질문",
    "답변",
    "유사질문",
    "링크",
    *(f"{p}_{lang}" for lang in LANGUAGES for p in ("질문", "답변")),
]
HEADER_EN = [
    "id",
    "category",
    "question",
    "answer",
    "alt_questions",
    "link",
    *(f"{p}_{lang}" for lang in LANGUAGES for p in ("question", "answer")),
]


def row(e: FaqEntry) -> list[str]:
    translated = [text or "" for lang in LANGUAGES for text in (e.question_in(lang), e.answer_in(lang))]
    return [e.id, e.category, e.question, e.answer, " | ".join(e.alt_questions), e.link or "", *translated]


def without_chinese(rows: Sequence[Sequence[str]]) -> list[list[str]]:
    """``rows`` with their Chinese cells blank: what a file saved from Excel as CP949 can hold."""
    return [[*r[:-2], "", ""] for r in rows]


def csv_bytes(
    rows: Sequence[Sequence[str]], encoding: str = "utf-8-sig", header: list[str] = HEADER_KO
) -> bytes:
    """A CSV file, by default as Excel saves "CSV UTF-8" (CP949 cannot hold the demo sets' Chinese)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[str]], header: list[str] = HEADER_EN) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for r in rows:
        sheet.append(list(r))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


NEW_FAQ = FaqEntry(
    "lantern-pet-policy",
    "관람 안내",
    "반려견과 함께 유등 축제장에 들어갈 수 있나요?",
    "반려견은 목줄(2m 이하)을 착용하고 배변 봉투를 지참하면 축제장에 함께 입장할 수 있습니다. "
    "단, 부교(배다리)와 유등 전시관 실내에는 안내견을 제외한 반려동물이 들어갈 수 없습니다.",
    ("강아지 데리고 가도 돼요?",),
)
