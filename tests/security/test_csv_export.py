"""Formula injection: exported cells never start a spreadsheet formula."""

from __future__ import annotations

import csv
import io

import pytest

from bot.security.csv_export import neutralise_cell, to_csv


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://evil.example","클릭")', '\'=HYPERLINK("http://evil.example","클릭")'),
        ("+82-10-1234-5678", "'+82-10-1234-5678"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1,2)", "'@SUM(1,2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("  =1+1", "'  =1+1"),
        ("주차장은 북문에 있습니다.", "주차장은 북문에 있습니다."),
        ("010-1234-5678", "010-1234-5678"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (42, "42"),
        (-3, "'-3"),
    ],
)
def test_neutralise_cell(cell: object, expected: str) -> None:
    assert neutralise_cell(cell) == expected


def test_to_csv_round_trips_as_text_with_bom() -> None:
    document = to_csv(["질문", "답변"], [["=1+1", "@cmd"], ["주차장 어디?", '북문, "정문"\n옆']])
    assert document.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(document.removeprefix("\ufeff"))))
    assert rows == [["질문", "답변"], ["'=1+1", "'@cmd"], ["주차장 어디?", '북문, "정문"\n옆']]
