"""CSV exports that are safe to open in a spreadsheet (no formula injection).

Visitors' questions and operators' answers end up in exports; a cell such as
``=HYPERLINK("http://evil","클릭")`` would run as a formula in Excel or LibreOffice. Cells that a
spreadsheet would read as a formula are prefixed with an apostrophe, which makes them text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

# = + - @ start formulas; tab and carriage return are also read as formula starts by some
# spreadsheet applications (OWASP CSV injection guidance).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> str:
    """The cell as text, with ``'`` prepended when it would start a formula (also after spaces)."""
    text = "" if value is None else str(value)
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def neutralise_row(row: Iterable[object]) -> list[str]:
    return [neutralise_cell(cell) for cell in row]


def to_csv(header: Sequence[str], rows: Iterable[Iterable[object]], bom: bool = True) -> str:
    """A whole CSV document, every cell neutralised; with a UTF-8 BOM by default so that Excel
    opens Korean text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(neutralise_row(header))
    for row in rows:
        writer.writerow(neutralise_row(row))
    return ("\ufeff" if bom else "") + buffer.getvalue()
