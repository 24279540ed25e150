"""The unit the engine indexes: one FAQ entry, and the content hash that identifies a FAQ set."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Translation:
    """A FAQ's question and/or answer in another language (ISO 639-1 code), given by the operator."""

    language: str
    question: str | None = None
    answer: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {"language": self.language, "question": self.question, "answer": self.answer}


@dataclass(frozen=True)
class FaqEntry:
    """One FAQ: its stable id, the texts it is found by, and the answer it gives."""

    id: str
    category: str
    question: str
    answer: str
    alt_questions: tuple[str, ...] = ()
    link: str | None = None
    # Shown to visitors of those languages; the translated questions are dense texts of the FAQ.
    translations: tuple[Translation, ...] = ()

    def answer_in(self, language: str) -> str | None:
        """The answer in ``language`` (Korean is the entry's own), None if the FAQ lacks it."""
        if language == "ko":
            return self.answer
        return next((t.answer for t in self.translations if t.language == language and t.answer), None)

    def question_in(self, language: str) -> str | None:
        if language == "ko":
            return self.question
        return next((t.question for t in self.translations if t.language == language and t.question), None)

    def asked_as(self) -> tuple[str, ...]:
        """Every question text the FAQ is asked by: its own, the alternatives and the translations."""
        return tuple(text for text, _ in self.asked_in())

    def asked_in(self) -> tuple[tuple[str, str], ...]:
        """``asked_as`` with each text's language (ISO 639-1; the FAQ's own questions are Korean)."""
        own = tuple((text, "ko") for text in (self.question, *self.alt_questions))
        return own + tuple((t.question, t.language) for t in self.translations if t.question)

    def to_dict(self) -> dict[str, object]:
        # Spelled out: dataclasses.asdict deep-copies field by field, ~10x slower, and a 10,000-FAQ
        # publish hashes and stores its set several times.
        data: dict[str, object] = {
            "id": self.id,
            "category": self.category,
            "question": self.question,
            "answer": self.answer,
            "alt_questions": list(self.alt_questions),
            "link": self.link,
        }
        # Only when present, so a set without translations keeps its content hash (and its index).
        if self.translations:
            data["translations"] = [t.to_dict() for t in self.translations]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> FaqEntry:
        alts = data.get("alt_questions") or ()
        return cls(
            id=str(data["id"]),
            category=str(data.get("category") or ""),
            question=str(data["question"]),
            answer=str(data["answer"]),
            alt_questions=tuple(str(a) for a in alts),  # type: ignore[attr-defined]
            link=str(data["link"]) if data.get("link") else None,
            translations=tuple(
                Translation(str(t["language"]), t.get("question") or None, t.get("answer") or None)
                for t in data.get("translations") or ()  # type: ignore[attr-defined]
            ),
        )


_NOT_WORD = re.compile(r"[\W_]+")


def question_key(text: str) -> str:
    """``text`` without case, spacing or punctuation: a visitor who types (or taps, on Kakao) one of
    a FAQ's questions, in any spacing, asks exactly that FAQ."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def content_hash(entries: Sequence[FaqEntry]) -> str:
    """SHA-256 of the FAQ set's content, independent of dict ordering."""
    payload = json.dumps([e.to_dict() for e in entries], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
