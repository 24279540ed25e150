"""What the console shows from the conversation log: unanswered questions and usage statistics."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

import numpy as np

from bot.runtime import Runtime
from bot.store.models import TurnRow
from retrieval import Encoder

# Two visitor questions at least this similar (e5 cosine; unrelated questions score ~0.8, rewordings
# of one question 0.9–0.97) are shown as one group (one FAQ would answer both).
SAME_QUESTION = 0.92
MAX_DISTINCT = 500  # most recent distinct unanswered texts grouped per request


def _since(days: int) -> dt.datetime:
    today = dt.datetime.now(dt.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - dt.timedelta(days=days - 1)


def _is_question(turn: TurnRow) -> bool:
    # Feedback button presses are logged as turns too; they are not questions.
    return turn.helpful is None


def unanswered(runtime: Runtime, encoder: Encoder, tenant: str, days: int = 30) -> list[dict[str, Any]]:
    """Fallback and low-confidence (suggest) questions, grouped by similarity, biggest group first."""
    turns = [
        t
        for t in runtime.store.turns.since(tenant, _since(days))
        if _is_question(t) and t.decision in ("fallback", "suggest")
    ]
    counts: Counter[str] = Counter(t.text.strip() for t in turns)
    decisions: dict[str, Counter[str]] = defaultdict(Counter)
    last: dict[str, dt.datetime] = {}
    for t in turns:
        decisions[t.text.strip()][t.decision] += 1
        last[t.text.strip()] = t.at
    texts = sorted(counts, key=lambda x: last[x], reverse=True)[:MAX_DISTINCT]
    texts.sort(key=lambda x: -counts[x])
    if not texts:
        return []
    vectors = encoder.encode(texts)
    groups: list[list[int]] = []
    heads: list[int] = []
    for i in range(len(texts)):
        sims = vectors[heads] @ vectors[i] if heads else np.zeros(0)
        best = int(np.argmax(sims)) if len(sims) else -1
        if best >= 0 and sims[best] >= SAME_QUESTION:
            groups[best].append(i)
        else:
            heads.append(i)
            groups.append([i])
    result: list[dict[str, Any]] = []
    for members in groups:
        head = texts[members[0]]
        tally: Counter[str] = Counter()
        for m in members:
            tally.update(decisions[texts[m]])
        hit = runtime.search(tenant, head, k=1).hits
        result.append(
            {
                "question": head,
                "count": sum(counts[texts[m]] for m in members),
                "questions": [{"text": texts[m], "count": counts[texts[m]]} for m in members],
                "decisions": dict(tally),
                "last_at": max(last[texts[m]] for m in members).isoformat(timespec="seconds"),
                "closest_faq": (
                    {
                        "id": hit[0].entry.id,
                        "question": hit[0].entry.question,
                        "score": round(hit[0].score, 3),
                    }
                    if hit
                    else None
                ),
            }
        )
    result.sort(key=lambda g: -g["count"])
    return result


def stats(runtime: Runtime, tenant: str, days: int = 30) -> dict[str, Any]:
    """Questions per day, decision rates, top FAQs and 👍/👎 per day over the last ``days`` days."""
    start = _since(days)
    turns = runtime.store.turns.since(tenant, start)
    day_keys = [(start + dt.timedelta(days=d)).date().isoformat() for d in range(days)]
    per_day: dict[str, Counter[str]] = {d: Counter() for d in day_keys}
    feedback: dict[str, Counter[str]] = {d: Counter() for d in day_keys}
    decisions: Counter[str] = Counter()
    answered: Counter[str] = Counter()
    for t in turns:
        day = t.at.date().isoformat()
        if day not in per_day:
            continue
        if not _is_question(t):
            feedback[day]["up" if t.helpful else "down"] += 1
            continue
        per_day[day][t.decision] += 1
        decisions[t.decision] += 1
        if t.decision == "answer" and t.faq_id:
            answered[t.faq_id] += 1
    total = sum(decisions.values())
    questions = {e.id: e.question for e in runtime.live_entries(tenant)}
    return {
        "days": days,
        "total": total,
        "rates": {d: (decisions[d] / total if total else 0.0) for d in ("answer", "suggest", "fallback")},
        "per_day": [
            {
                "date": d,
                "total": sum(c.values()),
                **{k: c[k] for k in ("answer", "suggest", "fallback", "dialogue")},
            }
            for d, c in per_day.items()
        ],
        "feedback": [{"date": d, "up": c["up"], "down": c["down"]} for d, c in feedback.items()],
        "top_faqs": [
            {"id": faq_id, "question": questions.get(faq_id, "(삭제된 FAQ)"), "count": n}
            for faq_id, n in answered.most_common(10)
        ],
    }
