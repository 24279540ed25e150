"""Which tenant's vocabulary a question speaks: a smoothed naive Bayes over each tenant's FAQ text.

Retrieval scores alone cannot tell "부교 몇 시에 닫아" (only the lantern festival has a floating
bridge) from "주차비 얼마임" (every tenant has parking): the words a question shares with one
tenant's FAQ and not the others' can.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from retrieval import FaqEntry

# Laplace smoothing of the per-tenant term counts.
_ALPHA = 0.5
# A word of a FAQ's questions says more about the tenant than a word of its (longer) answer.
_QUESTION_WEIGHT = 2
_ANSWER_WEIGHT = 1


@dataclass(frozen=True)
class TopicModel:
    counts: Mapping[str, Counter[str]]
    totals: Mapping[str, int]
    analyse: Callable[[str], list[str]]

    @classmethod
    def build(
        cls, entries: Mapping[str, Sequence[FaqEntry]], analyse: Callable[[str], list[str]]
    ) -> TopicModel:
        counts: dict[str, Counter[str]] = {}
        totals: dict[str, int] = {}
        for tenant_id, faqs in entries.items():
            counter: Counter[str] = Counter()
            for entry in faqs:
                questions = set(analyse(" ".join((entry.question, *entry.alt_questions))))
                counter.update(dict.fromkeys(questions, _QUESTION_WEIGHT))
                counter.update(dict.fromkeys(set(analyse(entry.answer)) - questions, _ANSWER_WEIGHT))
            counts[tenant_id] = counter
            totals[tenant_id] = _QUESTION_WEIGHT * max(len(faqs), 1)
        return cls(counts, totals, analyse)

    def shares(self, text: str) -> dict[str, float]:
        """Each tenant's share (summing to 1) of the question's known words.

        The log-likelihood is divided by the square root of the number of words so that a long
        question of common words does not look as certain as one distinctive word.
        """
        tenants = list(self.counts)
        terms = [w for w in set(self.analyse(text)) if any(self.counts[t][w] for t in tenants)]
        if not terms:
            return {t: 1 / len(tenants) for t in tenants}
        scale = math.sqrt(len(terms))
        loglik = {
            t: sum(math.log((self.counts[t][w] + _ALPHA) / (self.totals[t] + 2 * _ALPHA)) for w in terms)
            / scale
            for t in tenants
        }
        top = max(loglik.values())
        weights = {t: math.exp(v - top) for t, v in loglik.items()}
        total = sum(weights.values())
        return {t: w / total for t, w in weights.items()}
