"""Reads an operator's FAQ file (CSV in UTF-8/BOM/CP949, XLSX, YAML) into raw rows with row numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import yaml

from bot.errors import FaqbotError

# Column names operators use, Korean or English, mapped to the canonical field.
COLUMNS = {
    "id": "id",
    "아이디": "id",
    "번호": "id",
    "category": "category",
    "분류": "category",
    "카테고리": "category",
    "question": "question",
    "질문": "question",
    "answer": "answer",
    "답변": "answer",
    "alt_questions": "alt_questions",
    "유사질문": "alt_questions",
    "유사 질문": "alt_questions",
    "link": "link",
    "링크": "link",
    "url": "link",
}
# A FAQ's question and answer in a foreign visitor's language: question_en, answer_ja, 답변_zh, …
TRANSLATED_LANGUAGES = ("en", "ja", "zh")
for _language in TRANSLATED_LANGUAGES:
    for _name in ("question", "질문", "answer", "답변"):
        COLUMNS[f"{_name}_{_language}"] = f"{COLUMNS[_name]}_{_language}"
MAX_FILE_BYTES = 10 * 1024 * 1024


class FaqFileError(FaqbotError):
    """The file cannot be read as a FAQ table at all (nothing is changed)."""

    status = 422
    code = "faq_file"


@dataclass(frozen=True)
class RawRow:
    row: int  # 1-based line/row number as the operator sees it in Excel (header is row 1)
    fields: dict[str, str]
    formulas: frozenset[str] = frozenset()  # fields whose XLSX cell is a formula (its text in fields)


class _Formula(str):
    """The text of an XLSX formula cell: kept apart from plain text so validation can name it."""


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FaqFileError(
        "파일 인코딩을 알 수 없습니다. UTF-8 또는 CP949(EUC-KR) CSV로 저장해 주세요.",
        "unknown text encoding: save the CSV as UTF-8 or CP949 (EUC-KR)",
    )


def _canonical(header: list[str]) -> list[str | None]:
    names = [COLUMNS.get(h.strip().lower().lstrip("\ufeff")) if h else None for h in header]
    missing = [c for c in ("question", "answer") if c not in names]
    if missing:
        raise FaqFileError(
            f"필수 열이 없습니다: {', '.join(missing)} (질문/question, 답변/answer 열이 필요합니다).",
            f"missing required columns: {', '.join(missing)}",
        )
    return names


def _rows(table: Sequence[Sequence[object]]) -> list[RawRow]:
    if not table:
        raise FaqFileError("파일이 비어 있습니다.", "the file is empty")
    names = _canonical([str(h) if h is not None else "" for h in table[0]])
    rows = []
    for number, values in enumerate(table[1:], start=2):
        cells = ["" if v is None else str(v).strip() for v in values]
        if not any(cells):
            continue
        fields = {name: cells[i] if i < len(cells) else "" for i, name in enumerate(names) if name}
        formulas = frozenset(n for n, v in zip(names, values, strict=False) if n and isinstance(v, _Formula))
        rows.append(RawRow(number, fields, formulas))
    return rows


def _csv(data: bytes) -> list[RawRow]:
    text = _decode(data)
    try:
        return _rows(list(csv.reader(io.StringIO(text, newline=""), strict=True)))
    except csv.Error as exc:
        raise FaqFileError(f"CSV 형식 오류: {exc}", f"malformed CSV: {exc}") from exc


def _xlsx(data: bytes) -> list[RawRow]:
    from openpyxl import load_workbook

    try:
        # Formulas, not their cached results: a formula cell is reported as one (a file written by a
        # tool has no cached value, and read as values it looked like an empty answer).
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a bad archive
        raise FaqFileError("엑셀(XLSX) 파일을 열 수 없습니다.", f"cannot open XLSX: {exc}") from exc
    sheet = book.worksheets[0]
    return _rows([[_cell(c) for c in r] for r in sheet.iter_rows()])


def _cell(cell: Any) -> object:
    return _Formula(cell.value) if cell.data_type == "f" else cell.value


def _yaml(data: bytes) -> list[RawRow]:
    try:
        items = yaml.safe_load(_decode(data))
    except yaml.YAMLError as exc:
        raise FaqFileError(f"YAML 형식 오류: {exc}", f"malformed YAML: {exc}") from exc
    if isinstance(items, dict):
        items = items.get("faqs")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise FaqFileError("YAML은 FAQ 항목의 목록이어야 합니다.", "YAML must be a list of FAQ mappings")
    rows = []
    for number, item in enumerate(items, start=1):
        fields: dict[str, str] = {}
        for key, value in item.items():
            name = COLUMNS.get(str(key).strip().lower())
            if name is None:
                continue
            if isinstance(value, list):
                value = " | ".join(str(v) for v in value)
            fields[name] = "" if value is None else str(value).strip()
        rows.append(RawRow(number, fields))
    return rows


def parse_faq_file(filename: str, data: bytes) -> list[RawRow]:
    """Rows of a FAQ file, chosen by extension; raises FaqFileError when it cannot be read at all."""
    if len(data) > MAX_FILE_BYTES:
        raise FaqFileError(f"파일이 너무 큽니다 (최대 {MAX_FILE_BYTES // 1024 // 1024}MB).", "file too large")
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".xlsx":
        return _xlsx(data)
    if suffix in (".yml", ".yaml"):
        return _yaml(data)
    if suffix in (".csv", ".txt", ""):
        return _csv(data)
    raise FaqFileError(
        f"지원하지 않는 파일 형식입니다: {suffix} (CSV, XLSX, YAML만 가능)", f"unsupported file type {suffix}"
    )
