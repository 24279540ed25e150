"""The unit the engine indexes: one FAQ entry, and the content hash that identifies a FAQ set."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class FaqEntry:
    """One FAQ: its stable id, the texts it is found by, and the answer it gives."""

    id: str
    category: str
    question: str
    answer: str
    alt_questions: tuple[str, ...] = ()
    link: str | None = None

    def to_dict(self) -> dict[str, object]:
        # Spelled out: dataclasses.asdict deep-copies field by field, ~10x slower, and a 10,000-FAQ
        # publish hashes and stores its set several times.
        return {
            "id": self.id,
            "category": self.category,
            "question": self.question,
            "answer": self.answer,
            "alt_questions": list(self.alt_questions),
            "link": self.link,
        }

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
        )


def content_hash(entries: Sequence[FaqEntry]) -> str:
    """SHA-256 of the FAQ set's content, independent of dict ordering."""
    payload = json.dumps([e.to_dict() for e in entries], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
