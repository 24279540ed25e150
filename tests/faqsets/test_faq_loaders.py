"""FAQ file loading: every row error is reported with its row number in Korean and English, and a
bad file changes nothing that is served."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.faqsets import FaqFileError, parse_faq_file, validate_rows
from bot.faqsets.files import FaqSetInvalid, read_faq_file
from bot.faqsets.validate import MAX_ANSWER, MAX_QUESTION

HEADER = "id,category,question,answer,alt_questions,link\n"


def _report(body: str):  # type: ignore[no-untyped-def]
    return validate_rows(parse_faq_file("faq.csv", (HEADER + body).encode("utf-8")))


def _issues(body: str) -> list[tuple[int, str]]:
    return [(e.row, e.column) for e in _report(body).errors]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("a,일반,,답변입니다,,\n", [(2, "question")]),
        ("a,일반,질문인가요?,,,\n", [(2, "answer")]),
        ("a,일반,질문1?,답1,,\nb,일반,질문2?,답2,,\na,일반,질문3?,답3,,\n", [(4, "id")]),
        (f"a,일반,{'가' * (MAX_QUESTION + 1)},답,,\n", [(2, "question")]),
        (f"a,일반,질문?,{'나' * (MAX_ANSWER + 1)},,\n", [(2, "answer")]),
        ("a,일반,질문?,답,,ftp://x\nb,일반,질문2?,,,\n", [(2, "link"), (3, "answer")]),
    ],
    ids=["empty-question", "empty-answer", "duplicate-id", "long-question", "long-answer", "two-rows"],
)
def test_row_errors_name_the_row_and_column(body: str, expected: list[tuple[int, str]]) -> None:
    assert _issues(body) == expected


def test_error_messages_are_korean_and_english_with_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "faq.csv"
    path.write_text(HEADER + "a,일반,질문?,답,,\na,일반,다른 질문?,답,,\n", encoding="utf-8")
    with pytest.raises(FaqSetInvalid) as caught:
        read_faq_file(path)
    assert "3행 id" in caught.value.message_ko and "2행과 중복" in caught.value.message_ko
    assert "row 3 id: duplicate id (row 2)" in caught.value.message_en


def test_missing_required_column_is_a_file_error() -> None:
    with pytest.raises(FaqFileError) as caught:
        parse_faq_file("faq.csv", "id,question\na,질문?\n".encode())
    assert "answer" in caught.value.message_en and "답변" in caught.value.message_ko


def test_cp949_csv_is_read() -> None:
    data = (HEADER + "wifi,전산,와이파이 비밀번호가 뭔가요?,안내데스크에 문의하세요.,와파 비번,\n").encode(
        "cp949"
    )
    report = validate_rows(parse_faq_file("faq.csv", data))
    assert report.ok
    assert report.entries[0].question == "와이파이 비밀번호가 뭔가요?"
    assert report.entries[0].alt_questions == ("와파 비번",)


def test_one_bad_row_rejects_the_whole_file(tmp_path: Path) -> None:
    """All or nothing: the valid rows of a bad file are not loaded either."""
    path = tmp_path / "faq.csv"
    path.write_text(HEADER + "a,일반,좋은 질문?,좋은 답,,\nb,일반,나쁜 질문?,,,\n", encoding="utf-8")
    assert [e.id for e in _report("a,일반,좋은 질문?,좋은 답,,\nb,일반,나쁜 질문?,,,\n").entries] == ["a"]
    with pytest.raises(FaqSetInvalid) as caught:
        read_faq_file(path)
    assert "3행 answer: 답변이 비어 있습니다." in caught.value.message_ko


@pytest.mark.parametrize(
    ("answer", "warned"),
    [
        ('"=HYPERLINK(""http://evil.example"",""클릭"")"', True),
        ("+cmd|' /C calc'!A0", True),
        ("@SUM(1+1)", True),
        ("-2+3+cmd", True),
        ('"- 첫째 항목\n- 둘째 항목"', False),  # a bullet list is text
        ("셔틀은 -10분 간격이 아닙니다", False),
    ],
)
def test_formula_looking_cells_are_stored_as_text_with_a_warning(answer: str, warned: bool) -> None:
    report = _report(f"a,일반,질문인가요?,{answer},,\n")
    assert report.errors == []
    assert report.entries[0].answer == next(csv.reader(io.StringIO(answer)))[0]  # kept as typed
    assert [(w.row, w.column) for w in report.warnings] == ([(2, "answer")] if warned else [])


def test_an_xlsx_formula_cell_is_a_formula_error_not_an_empty_answer() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["question", "answer"])
    sheet.append(["주차장 어디예요?", '=HYPERLINK("http://evil.example","클릭")'])
    sheet.append(["셔틀 있어요?", "네, 있습니다."])
    buffer = io.BytesIO()
    book.save(buffer)
    report = validate_rows(parse_faq_file("faq.xlsx", buffer.getvalue()))
    assert [(e.row, e.column, e.message_en) for e in report.errors] == [
        (2, "answer", "XLSX formula cell: paste it as a value")
    ]
    assert "수식" in report.errors[0].message
