"""The slang/synonym lexicon: data-driven rewriting, layered files, word-start matching."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu.lexicon import Lexicon, LexiconError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("긱사 신청 언제야", "기숙사 신청 언제야"),
        ("복전하려면 몇 학점?", "복수전공하려면 몇 학점?"),
        ("댕댕이랑 가도 돼?", "반려견랑 가도 돼?"),
        ("셔틀 타는 곳", "셔틀버스 타는 곳"),
        ("셔틀버스 타는 곳", "셔틀버스 타는 곳"),  # a variant inside its canonical word stays
        ("기숙사 신청", "기숙사 신청"),
        ("반긱사", "반긱사"),  # only at the start of a word
    ],
)
def test_general_lexicon_rewrites_slang(lexicon: Lexicon, text: str, expected: str) -> None:
    assert lexicon.apply(text) == expected


def test_later_files_override_earlier_ones(tmp_path: Path) -> None:
    general = tmp_path / "general.yml"
    general.write_text("terms:\n  기숙사: [긱사]\n  버스: [뻐스]\n", encoding="utf-8")
    region = tmp_path / "region.yml"
    region.write_text("terms:\n  생활관: [긱사]\n", encoding="utf-8")
    lexicon = Lexicon.load([general, region])
    assert lexicon.apply("긱사 뻐스") == "생활관 버스"
    assert lexicon.fingerprint != Lexicon.load([general]).fingerprint


def test_tenant_synonyms_merge_on_top(lexicon: Lexicon) -> None:
    merged = lexicon.merged(Lexicon.from_mapping({"한내광장": ["분수광장"]}))
    assert merged.apply("분수광장에서 긱사까지") == "한내광장에서 기숙사까지"


@pytest.mark.parametrize(
    "body", ["terms: [a, b]\n", "terms:\n  기숙사: 긱사\n", "terms:\n  기숙사: ['']\n", ": :"]
)
def test_bad_files_are_refused_with_the_path(tmp_path: Path, body: str) -> None:
    path = tmp_path / "bad.yml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(LexiconError, match=r"bad\.yml"):
        Lexicon.load([path])
