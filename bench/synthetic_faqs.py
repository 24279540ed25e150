"""Large FAQ sets for the speed benchmarks, synthesised from the demo tenants' real rows.

Copy ``c`` of a row prefixes a place to its question and to each alternative question, numbers the
question and appends a sentence to the answer: no two texts of a set are identical (so no benchmark
profits from encoding a repeated text once), while the words and lengths stay those of real FAQs.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.faqsets.files import read_faq_file
from retrieval import FaqEntry

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TENANTS = ("gaeram-univ", "seohae-mudfest", "namgang-lantern")
PLACES = ("본관", "정문", "광장", "체육관", "도서관", "주차장", "강변", "무대", "북문", "기숙사")


def demo_rows() -> list[FaqEntry]:
    """The 200 FAQs of the three demo tenants."""
    return [e for t in TENANTS for e in read_faq_file(SHARED / "faq" / t / "faq.csv")]


def synthesise(rows: list[FaqEntry], size: int) -> list[FaqEntry]:
    """``size`` FAQs: the rows themselves, then numbered, place-prefixed copies of them (ids are
    numbered too: the demo tenants share some ids)."""
    out = []
    for i in range(size):
        e = rows[i % len(rows)]
        copy = i // len(rows)
        if copy == 0:
            out.append(replace(e, id=f"{e.id}-{i}"))
            continue
        place = PLACES[copy % len(PLACES)]
        out.append(
            FaqEntry(
                f"{e.id}-{i}",
                e.category,
                f"{place} {e.question} ({copy}번)",
                f"{e.answer} {place} 안내 {copy}번 창구에서도 확인할 수 있습니다.",
                tuple(f"{place} {a} {copy}번" for a in e.alt_questions),
                e.link,
            )
        )
    return out
