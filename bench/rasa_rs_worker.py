"""Runs inside .venv-rasa for bench/rasa_response_selector.py: trains Rasa's ResponseSelector on
one tenant's FAQ set, loads it and predicts the FAQ of each query. Prints one JSON object.

Usage: .venv-rasa/bin/python bench/rasa_rs_worker.py FAQ_CSV QUERIES_JSON WORK_DIR EPOCHS
"""

from __future__ import annotations

import asyncio
import csv
import json
import sys
import time
from pathlib import Path

import yaml


def faq_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def write_project(rows: list[dict[str, str]], work: Path, epochs: int) -> tuple[Path, Path, Path]:
    nlu, responses = [], {}
    for row in rows:
        examples = [
            row["question"],
            *(a.strip() for a in (row.get("alt_questions") or "").split("|") if a.strip()),
        ]
        nlu.append({"intent": f"faq/{row['id']}", "examples": "".join(f"- {e}\n" for e in examples)})
        responses[f"utter_faq/{row['id']}"] = [{"text": row["answer"]}]
    # Rasa needs a second intent beside the retrieval intent to train at all.
    nlu.append({"intent": "greet", "examples": "- 안녕하세요\n- 안녕\n- 하이\n"})
    config = {
        "recipe": "default.v1",
        "language": "ko",
        "pipeline": [
            {"name": "nlu.kiwi_tokenizer.KiwiTokenizer"},
            {"name": "CountVectorsFeaturizer", "ngram_range": [1, 2]},
            {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
            {"name": "LogisticRegressionClassifier"},
            {"name": "ResponseSelector", "retrieval_intent": "faq", "epochs": epochs, "random_seed": 42},
        ],
        "policies": [],
    }
    domain = {"version": "3.1", "intents": ["faq", "greet"], "responses": responses}
    paths = work / "nlu.yml", work / "config.yml", work / "domain.yml"
    paths[0].write_text(yaml.safe_dump({"version": "3.1", "nlu": nlu}, allow_unicode=True), encoding="utf-8")
    paths[1].write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    paths[2].write_text(yaml.safe_dump(domain, allow_unicode=True), encoding="utf-8")
    return paths


async def predict(model: str, queries: list[str]) -> tuple[list[str | None], float, float]:
    from rasa.core.agent import Agent

    started = time.monotonic()
    agent = Agent.load(model)
    load_seconds = time.monotonic() - started
    predictions: list[str | None] = []
    started = time.monotonic()
    for query in queries:
        parsed = await agent.parse_message(query)
        key = (
            parsed.get("response_selector", {}).get("faq", {}).get("response", {}).get("intent_response_key")
        )
        predictions.append(key.split("/", 1)[1] if key else None)
    per_query_ms = (time.monotonic() - started) * 1000 / max(1, len(queries))
    return predictions, load_seconds, per_query_ms


def main() -> None:
    from rasa.api import train

    faq_csv, queries_json, work, epochs = (
        Path(sys.argv[1]),
        Path(sys.argv[2]),
        Path(sys.argv[3]),
        int(sys.argv[4]),
    )
    work.mkdir(parents=True, exist_ok=True)
    queries = json.loads(queries_json.read_text(encoding="utf-8"))
    nlu, config, domain = write_project(faq_rows(faq_csv), work, epochs)
    started = time.monotonic()
    result = train(str(domain), str(config), [str(nlu)], output=str(work / "models"), fixed_model_name="rs")
    train_seconds = time.monotonic() - started
    predictions, load_seconds, per_query_ms = asyncio.run(predict(str(result.model), queries))
    print(
        json.dumps(
            {
                "train_s": train_seconds,
                "load_s": load_seconds,
                "query_ms": per_query_ms,
                "predictions": predictions,
            }
        )
    )


if __name__ == "__main__":
    main()
