"""Personal data is masked before a visitor's message is stored (exact outputs, table-driven)."""

from __future__ import annotations

import pytest

from bot.privacy import mask_personal_data

CASES = [
    # 주민등록번호 / 외국인등록번호
    ("제 주민번호는 900101-1234567 입니다", "제 주민번호는 [주민번호] 입니다"),
    ("주민번호 9001011234567요", "주민번호 [주민번호]요"),
    ("외국인등록번호 850312-5123456", "외국인등록번호 [주민번호]"),
    # card numbers
    ("카드 1234-5678-9012-3456 결제 취소", "카드 [카드번호] 결제 취소"),
    ("카드번호 1234 5678 9012 3456", "카드번호 [카드번호]"),
    ("1234567890123456로 결제했어요", "[카드번호]로 결제했어요"),
    ("아멕스 3782-822463-10005", "아멕스 [카드번호]"),
    # phone numbers
    ("연락처 010-1234-5678 로 주세요", "연락처 [전화번호] 로 주세요"),
    ("번호는01012345678이에요", "번호는[전화번호]이에요"),
    ("010 1234 5678", "[전화번호]"),
    ("+82 10-1234-5678로 연락", "[전화번호]로 연락"),
    ("학과 사무실 055-123-4567", "학과 사무실 [전화번호]"),
    ("서울 02-1234-5678", "서울 [전화번호]"),
    ("콜센터 1588-1234", "콜센터 [전화번호]"),
    # e-mail
    ("메일 hong.gildong@gaeram.ac.kr 로 보냈어요", "메일 [이메일] 로 보냈어요"),
    ("kim_01+faq@example.com", "[이메일]"),
    # student numbers
    ("학번 20231234 성적 조회", "학번 [학번] 성적 조회"),
    ("학번은 1234567 입니다", "학번은 [학번] 입니다"),
    ("2021123456 학생인데요", "[학번] 학생인데요"),
    # nothing personal: unchanged
    ("2026학년도 1학기 수강신청은 언제예요?", "2026학년도 1학기 수강신청은 언제예요?"),
    ("셔틀버스 20분 간격인가요? 입장료 15000원", "셔틀버스 20분 간격인가요? 입장료 15000원"),
    ("3번 출구 앞 10시 30분", "3번 출구 앞 10시 30분"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_masks_personal_data(text: str, expected: str) -> None:
    assert mask_personal_data(text) == expected
