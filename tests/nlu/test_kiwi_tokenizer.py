"""The Kiwi tokenizer component (runs in .venv-rasa): exact tokens and character offsets."""

from __future__ import annotations

import pytest
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.utils.bilou_utils import bilou_tags_from_offsets
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.kiwi_tokenizer import KiwiTokenizer


@pytest.fixture(scope="module")
def tokenizer() -> KiwiTokenizer:
    return KiwiTokenizer(KiwiTokenizer.get_default_config())


def _tokenize(tokenizer: KiwiTokenizer, text: str) -> list[tuple[str, int, int]]:
    return [(t.text, t.start, t.end) for t in tokenizer.tokenize(Message.build(text=text), TEXT)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Contractions: Kiwi reports 하+었 and 되+어요 with empty/overlapping spans.
        ("했어요", [("했", 0, 1), ("어요", 1, 3)]),
        ("돼요", [("돼요", 0, 2)]),
        ("됐어요", [("됐", 0, 1), ("어요", 1, 3)]),
        ("어제 신청했어요", [("어제", 0, 2), ("신청", 3, 5), ("했", 5, 6), ("어요", 6, 8)]),
        ("갔다왔어", [("갔", 0, 1), ("다", 1, 2), ("왔", 2, 3), ("어", 3, 4)]),
        # No spacing at all.
        (
            "주차장어디에있나요",
            [("주차장", 0, 3), ("어디", 3, 5), ("에", 5, 6), ("있", 6, 7), ("나요", 7, 9)],
        ),
        # English and digits mixed in.
        (
            "KTX 2시 30분 도착 ㅋㅋ",
            [
                ("KTX", 0, 3),
                ("2", 4, 5),
                ("시", 5, 6),
                ("30", 7, 9),
                ("분", 9, 10),
                ("도착", 11, 13),
                ("ㅋㅋ", 14, 16),
            ],
        ),
        ("wifi비번 뭐예요?", [("wifi", 0, 4), ("비번", 4, 6), ("뭐", 7, 8), ("예요", 8, 10), ("?", 10, 11)]),
        # Emoji, before and after Hangul.
        ("셔틀버스 타요🚌!!", [("셔틀버스", 0, 4), ("타요", 5, 7), ("🚌", 7, 8), ("!!", 8, 10)]),
        ("😀 안녕", [("😀", 0, 1), ("안녕", 2, 4)]),
        # Foreign visitors: English words, and one token per Han or kana character (Kiwi keeps
        # such runs whole; Rasa's bigram features then see the words).
        (
            "Where's the mud-slide?",
            [
                ("Where", 0, 5),
                ("'", 5, 6),
                ("s", 6, 7),
                ("the", 8, 11),
                ("mud", 12, 15),
                ("-", 15, 16),
                ("slide", 16, 21),
                ("?", 21, 22),
            ],
        ),
        (
            "駐車場はどこ?",
            [("駐", 0, 1), ("車", 1, 2), ("場", 2, 3), ("は", 3, 4), ("ど", 4, 5), ("こ", 5, 6), ("?", 6, 7)],
        ),
        ("チケット", [("チ", 0, 1), ("ケ", 1, 2), ("ッ", 2, 3), ("ト", 3, 4)]),
        (
            "门票多少钱？",
            [("门", 0, 1), ("票", 1, 2), ("多", 2, 3), ("少", 3, 4), ("钱", 4, 5), ("？", 5, 6)],
        ),
        ("漢字 공부", [("漢", 0, 1), ("字", 1, 2), ("공부", 3, 5)]),
    ],
)
def test_tokens_and_offsets(
    tokenizer: KiwiTokenizer, text: str, expected: list[tuple[str, int, int]]
) -> None:
    assert _tokenize(tokenizer, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "했어요",
        "돼요",
        "머드축제언제해여??ㅠㅠ",
        "상담원이랑 얘기하고싶어",
        "Do you have English staff?",
        "ㅎㅇ 🙂🙂",
    ],
)
def test_spans_cover_the_text_in_order(tokenizer: KiwiTokenizer, text: str) -> None:
    tokens = tokenizer.tokenize(Message.build(text=text), TEXT)
    assert tokens
    previous_end = 0
    for token in tokens:
        assert previous_end <= token.start < token.end
        assert token.text == text[token.start : token.end]
        previous_end = token.end


def test_lemma_and_pos(tokenizer: KiwiTokenizer) -> None:
    tokens = tokenizer.tokenize(Message.build(text="신청했어요"), TEXT)
    assert [(t.text, t.lemma, t.get("pos")) for t in tokens] == [
        ("신청", "신청", "NNG"),
        ("했", "하", "XSV"),
        ("어요", "어요", "EF"),
    ]


def test_entity_offsets_align_with_tokens(tokenizer: KiwiTokenizer) -> None:
    """An entity annotated on a contracted word maps onto whole tokens (BILOU tags, no misses)."""
    message = Message.build(text="주차장어디에있어요")
    tokenizer.process_training_data(TrainingData([message]))
    tags = bilou_tags_from_offsets(message.get(TOKENS_NAMES[TEXT]), [(0, 3, "place")])
    assert tags[0] == "U-place"
    assert set(tags[1:]) == {"O"}


def test_registered_with_the_default_recipe() -> None:
    registered = DefaultV1Recipe._registered_components["KiwiTokenizer"]
    assert registered.clazz is KiwiTokenizer
    assert DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER in registered.types
    assert registered.is_trainable is False
