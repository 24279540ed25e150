"""A small hand-written FAQ set and index stores over it (real USE encoder, Kiwi, FAISS)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu.korean import content_morphemes
from nlu.lexicon import Lexicon, lexicon_files
from retrieval import Encoder, FaqEntry, FaqIndex, IndexStore, RetrievalConfig

ROOT = Path(__file__).resolve().parents[2]

ENTRIES = (
    FaqEntry(
        "dorm-apply",
        "생활관",
        "기숙사 입사 신청은 언제 하나요?",
        "기숙사 입사 신청은 2월 1일부터 포털에서 받습니다.",
        ("생활관 신청 기간",),
    ),
    FaqEntry(
        "parking",
        "교통",
        "주차장은 어디에 있나요?",
        "정문 옆 지하 주차장을 이용해 주세요. 하루 5,000원입니다.",
        ("차 어디에 대요?",),
    ),
    FaqEntry(
        "pets", "편의시설", "반려견과 함께 입장할 수 있나요?", "목줄을 한 반려견은 입장할 수 있습니다.", ()
    ),
    FaqEntry(
        "wifi", "전산", "와이파이 비밀번호가 뭔가요?", "학교 와이파이는 포털 계정으로 로그인합니다.", ()
    ),
    FaqEntry(
        "refund",
        "입장권",
        "입장권 환불은 어떻게 하나요?",
        "관람일 하루 전까지 예매처에서 전액 환불됩니다.",
        (),
    ),
    FaqEntry("restroom", "편의시설", "화장실은 어디에 있나요?", "광장 동쪽과 서쪽에 화장실이 있습니다.", ()),
)


@pytest.fixture(scope="session")
def entries() -> tuple[FaqEntry, ...]:
    return ENTRIES


@pytest.fixture(scope="session")
def lexicon() -> Lexicon:
    return Lexicon.load(lexicon_files(ROOT / "data" / "lexicon"))


@pytest.fixture(scope="session")
def small_index(encoder: Encoder, lexicon: Lexicon) -> FaqIndex:
    return FaqIndex(ENTRIES, encoder, content_morphemes, RetrievalConfig(), lexicon.apply, "test").build()


@pytest.fixture
def store(tmp_path: Path, encoder: Encoder, lexicon: Lexicon) -> IndexStore:
    return IndexStore(
        tmp_path / "indexes", encoder, content_morphemes, RetrievalConfig(), lexicon.apply, "test"
    )
