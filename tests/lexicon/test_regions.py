"""Regional dialect lexicons and tenant synonyms: exact rewrites, region selection, word endings."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.runtime import Runtime
from bot.tenancy import TenantSettings, load_tenant_settings
from bot.tenancy.language import dialect_files, seed_synonyms, tenant_lexicon
from nlu.lexicon import Lexicon, LexiconError

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"


def tenant(tenant_id: str) -> TenantSettings:
    return load_tenant_settings(DATA / "tenants" / tenant_id / "tenant.yml")


def shipped(tenant_id: str) -> Lexicon:
    """The tenant's lexicon with the synonyms it ships (its first synonym version)."""
    settings = tenant(tenant_id)
    return tenant_lexicon(DATA, settings, seed_synonyms(DATA, settings))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("이거 우째 신청하노", "이거 어떻게 신청하나요"),
        ("주차장 어디 있노?", "주차장 어디 있어요?"),
        ("표 없나?", "표 없어요?"),
        ("입장료 얼마고?", "입장료 얼마예요?"),
        ("화장실 어덴교", "화장실 어디예요"),
        ("그거 머꼬", "그거 뭐예요"),
        ("뭐 하믄 되나", "뭐 하면 되나요"),
        ("신청 우예 하는교", "신청 어떻게 하나요"),
        ("있나요? 되나요?", "있나요? 되나요?"),  # standard forms stay
        ("피아노 마이크 아예", "피아노 마이크 아예"),  # words that merely look like dialect stay
    ],
)
def test_gyeongsang(text: str, expected: str) -> None:
    assert shipped("namgang-lantern").apply(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("기숙사 신청했슈", "기숙사 신청했어요"),
        ("그려유", "그래요"),
        ("언제 시작한대유", "언제 시작한대요"),
        ("셔틀버스 워디서 타유?", "셔틀버스 어디서 타요?"),
        ("유모차 빌릴 수 있슈?", "유모차 빌릴 수 있어요?"),
        ("워치케 가유", "어떻게 가요"),
        ("우유 이유 여유 경유", "우유 이유 여유 경유"),  # no bare ~유 rule
        ("머드탕 깊이", "머드풀 깊이"),  # the tenant's own synonym
    ],
)
def test_chungcheong_and_tenant_synonyms(text: str, expected: str) -> None:
    assert shipped("seohae-mudfest").apply(text) == expected


def test_each_tenant_gets_its_regions_dialect_only() -> None:
    lexicons = DATA / "lexicon"
    assert [p.name for p in dialect_files(lexicons, "48170")] == ["gyeongsang.yml"]
    assert [p.name for p in dialect_files(lexicons, "44180")] == ["chungcheong.yml"]
    assert dialect_files(lexicons, "11110") == []  # 서울 종로구: no dialect file
    assert shipped("seohae-mudfest").apply("어디 있노?") == "어디 있노?"
    assert shipped("gaeram-univ").apply("학생증 분실 신고") == "학생증 재발급 신고"
    assert shipped("namgang-lantern").apply("학생증 분실 신고") == "학생증 분실 신고"


def test_more_specific_region_file_layers_last(tmp_path: Path) -> None:
    regions = tmp_path / "lexicon" / "regions"
    regions.mkdir(parents=True)
    (regions / "wide.yml").write_text('regions: ["48"]\nterms:\n  어떻게: [우째]\n', encoding="utf-8")
    (regions / "city.yml").write_text('regions: ["48170"]\nterms:\n  왜: [우째]\n', encoding="utf-8")
    assert [p.name for p in dialect_files(tmp_path / "lexicon", "48170")] == ["wide.yml", "city.yml"]
    assert Lexicon.load(dialect_files(tmp_path / "lexicon", "48170")).apply("우째") == "왜"


@pytest.mark.parametrize(
    ("terms", "text", "expected"),
    [
        ({"~나요": ["~는교"]}, "신청하는교? 하는교", "신청하나요? 하나요"),
        ({"~나요": ["~는교"]}, "는교수", "는교수"),  # only at a word's end
        ({"~어요": ["~어유"], "~했어요": ["~했슈"]}, "했슈 먹어유", "했어요 먹어요"),
        ({"어떻게": ["우째"], "~나요": ["~노"]}, "우째 하노", "어떻게 하나요"),
    ],
)
def test_lexicon_endings(terms: dict[str, list[str]], text: str, expected: str) -> None:
    assert Lexicon.from_mapping(terms).apply(text) == expected


def test_ending_and_word_cannot_be_mixed() -> None:
    with pytest.raises(LexiconError, match="~endings or words"):
        Lexicon.from_mapping({"하나요": ["~하노"]})


def test_runtime_search_applies_the_tenant_lexicon(runtime: Runtime) -> None:
    assert runtime.normalise("seohae-mudfest", "머드탕 있슈?") == "머드풀 있어요?"
    result = runtime.search("seohae-mudfest", "머드탕 깊이 있슈?", k=3)
    assert result.query == "머드풀 깊이 있어요?"
    assert result.best is not None and result.best.faq_id == "zone-mud-pool"


def test_new_synonym_version_applies_without_a_restart(runtime: Runtime) -> None:
    assert runtime.normalise("seohae-mudfest", "뻘 체험") == "뻘 체험"
    runtime.store.synonyms.save("seohae-mudfest", {"갯벌": ["뻘"]}, "test", "test")
    assert runtime.refresh() == ["seohae-mudfest"]
    assert runtime.normalise("seohae-mudfest", "뻘 체험") == "갯벌 체험"
