"""What an operator reads before publishing: row errors, warnings and the diff against live."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from scipy import sparse

from bot.faqsets import RowIssue, ValidationReport
from retrieval import FaqEntry, analyse_all
from retrieval.sparse.ngrams import char_bigrams

# A pair is a near-duplicate when the questions share most character bigrams (a cheap candidate
# filter: no sentence encoder at import, where e5 would take ~10 ms a question) AND most content
# words (Kiwi terms, the decisive test). A question with and without its ending (나요/요/?) keeps
# ~0.6 of its bigrams.
BIGRAM_CANDIDATE = 0.5
SHARED_WORDS = 0.7
_BLOCK = 1024  # rows of the similarity matrix computed at once (10,000 rows stay in memory bounds)
_CANDIDATES = 5
Analyse = Callable[[str], list[str]]
# Names the check in the cache of its pairs: its numbers, and a version for its rule.
NEAR_DUPLICATES = f"near-duplicates:1|{BIGRAM_CANDIDATE}|{SHARED_WORDS}|{_CANDIDATES}"


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def _best(scores: np.ndarray, k: int, floor: float) -> list[int]:
    """Positions of the ``k`` highest ``scores`` at or above ``floor``, best first (no full sort:
    each of 10,000 rows compares with up to 10,000 earlier ones)."""
    above = np.flatnonzero(scores >= floor)
    if len(above) > k:
        above = above[np.argpartition(-scores[above], k - 1)[:k]]
    return [int(j) for j in above[np.argsort(-scores[above], kind="stable")]]


def _bigram_vectors(questions: Sequence[str]) -> sparse.csr_matrix:
    """Unit rows of each question's set of character bigrams: their products are set cosines."""
    vocab: dict[str, int] = {}
    cols = [sorted({vocab.setdefault(b, len(vocab)) for b in char_bigrams(q)}) for q in questions]
    indptr = np.cumsum([0, *map(len, cols)])
    values = np.concatenate([np.full(len(c), 1 / np.sqrt(max(len(c), 1)), np.float32) for c in cols])
    indices = np.fromiter((j for c in cols for j in c), dtype=np.int64, count=int(indptr[-1]))
    return sparse.csr_matrix((values, indices, indptr), shape=(len(questions), max(len(vocab), 1)))


def near_duplicate_pairs(questions: Sequence[str], analyse: Analyse) -> list[tuple[int, int, float]]:
    """(i, j, bigram similarity) for each question ``i`` that nearly repeats the earlier ``j``,
    its closest such one."""
    if len(questions) < 2:
        return []
    vectors = _bigram_vectors(questions)
    compact = ["".join(q.split()) for q in questions]
    # Each row's close earlier rows, best first, up to its first exact repeat (validation warned).
    candidates: dict[int, list[tuple[int, float]]] = {}
    for start in range(0, len(questions), _BLOCK):
        block = (vectors[start : start + _BLOCK] @ vectors[: start + _BLOCK].T).toarray()
        for offset, sims in enumerate(block):
            i = start + offset
            earlier = sims[:i]
            close = []
            for j in _best(earlier, _CANDIDATES, BIGRAM_CANDIDATE):
                if compact[i] == compact[j]:
                    break
                close.append((j, float(earlier[j])))
            if close:
                candidates[i] = close
    # The words of every question compared, analysed in one batch (Kiwi's worker threads).
    compared = sorted(set(candidates) | {j for close in candidates.values() for j, _ in close})
    analysed = analyse_all(analyse, [questions[i] for i in compared])
    words = {i: set(terms) for i, terms in zip(compared, analysed, strict=True)}
    pairs = []
    for i, close in sorted(candidates.items()):
        j, similarity = next(
            ((j, s) for j, s in close if _jaccard(words[i], words[j]) >= SHARED_WORDS), (-1, 0)
        )
        if j >= 0:
            pairs.append((i, j, similarity))
    return pairs


def near_duplicate_warnings(pairs: Sequence[tuple[int, int, float]], rows: Sequence[int]) -> list[RowIssue]:
    """The warnings of ``near_duplicate_pairs``, with their positions as file rows."""
    return [
        RowIssue(
            rows[i],
            "question",
            f"{rows[j]}행의 질문과 거의 같습니다: 한 FAQ로 합치거나 유사질문으로 옮기는 것이 좋습니다.",
            f"near-duplicate of row {rows[j]} (similarity {similarity:.2f})",
        )
        for i, j, similarity in pairs
    ]


def diff_entries(old: Sequence[FaqEntry], new: Sequence[FaqEntry]) -> dict[str, list[dict[str, Any]]]:
    """Added, removed and changed FAQs by id (changed lists which fields differ)."""
    before = {e.id: e for e in old}
    after = {e.id: e for e in new}
    fields = ("category", "question", "answer", "alt_questions", "link", "translations")

    def brief(e: FaqEntry) -> dict[str, Any]:
        return {"id": e.id, "question": e.question}

    changed = []
    for faq_id, entry in after.items():
        if faq_id in before and before[faq_id] != entry:
            differs = [f for f in fields if getattr(before[faq_id], f) != getattr(entry, f)]
            changed.append({**brief(entry), "fields": differs})
    return {
        "added": [brief(e) for i, e in after.items() if i not in before],
        "removed": [brief(e) for i, e in before.items() if i not in after],
        "changed": changed,
    }


def mass_deletion(removed: int, live: int, share: float) -> RowIssue | None:
    """The file-level warning of a draft that removes more than ``share`` of the live FAQs (a
    one-row file imported by mistake), or None."""
    if not live or removed <= share * live:
        return None
    return RowIssue(
        0,
        "file",
        f"게시 중인 FAQ {live}개 중 {removed}개({removed / live:.0%})가 지워집니다. 게시하려면 삭제를 "
        "확인해야 합니다.",
        f"removes {removed} of {live} live FAQs; publishing needs allow_deletions",
    )


def report_json(
    report: ValidationReport,
    extra_warnings: list[RowIssue],
    diff: dict[str, Any],
    base: int,
    live_faqs: int,
    deletion_share: float,
) -> dict[str, Any]:
    """The stored report of a draft made from live version ``base`` (``live_faqs`` FAQs)."""
    guard = mass_deletion(len(diff["removed"]), live_faqs, deletion_share)
    warnings = sorted([*report.warnings, *extra_warnings, *([guard] if guard else [])], key=lambda w: w.row)
    body: dict[str, Any] = {
        "errors": [e.to_dict() for e in report.errors],
        "warnings": [w.to_dict() for w in warnings],
        "diff": diff,
        "base": base,
    }
    if guard:
        body["mass_deletion"] = {"removed": len(diff["removed"]), "live": live_faqs}
    return body
