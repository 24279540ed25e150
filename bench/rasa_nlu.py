"""Rasa NLU on a held-out split of data/rasa/nlu.yml: our pipeline beside alternatives.

Run: .venv/bin/python bench/rasa_nlu.py [--variants kiwi,diet,whitespace] [--stories]
Splits 80/20 (seed 42, per intent), trains each variant on the 80 % and runs `rasa test nlu` on
the 20 %. Prints intent weighted F1, accuracy and training time per variant, and how many of the
dev sets' answerable questions (../shared/eval, as the gateway sends them to Rasa) each variant
routes to the FAQ search (ask_faq, out_of_scope or nlu_fallback; any other intent takes a
greeting/thanks/handoff/feedback rule and the question is never searched); the reports of our
pipeline (intent_report.json, confusion summary) are saved in bench/rasa/. With --stories, also
runs `rasa test core` on data/rasa/stories.yml with the full model in var/rasa/models.
Bounded: about a minute per variant on 2 cores.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.dialogue.model import RasaProject  # noqa: E402

OUT = ROOT / "bench" / "rasa"
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
EVAL = ROOT.parent / "shared" / "eval"
TENANTS = ("gaeram-univ", "seohae-mudfest", "namgang-lantern")
# Intents whose rule runs action_answer_faq (data/rasa/rules.yml).
SEARCHED = frozenset({"ask_faq", "out_of_scope", "nlu_fallback"})


def variant_config(name: str) -> dict[str, Any]:
    """config.yml with one change (the NLU part only)."""
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    pipeline = config["pipeline"]
    if name == "whitespace":
        # Rasa's default tokenizer: whole eojeol (space-separated words), no morphemes.
        pipeline[0] = {"name": "WhitespaceTokenizer"}
    elif name == "diet":
        # The pipeline before session 3: DIET (no transformer) instead of the linear classifier,
        # with the token-sequence features (shape and Kiwi part of speech of each token and its
        # neighbours) that only DIET reads.
        at = next(i for i, c in enumerate(pipeline) if c["name"] == "LogisticRegressionClassifier")
        pipeline[at] = {
            "name": "DIETClassifier",
            "epochs": 100,
            "entity_recognition": False,
            "number_of_transformer_layers": 0,
            "constrain_similarities": True,
            "random_seed": 42,
        }
        features = [["low", "pos"], ["BOS", "EOS", "low", "pos", "suffix2", "digit"], ["low", "pos"]]
        pipeline.insert(1, {"name": "LexicalSyntacticFeaturizer", "features": features})
    elif name != "kiwi":
        raise SystemExit(f"unknown variant {name}")
    config["pipeline"] = pipeline
    config.pop("policies", None)
    return config


def rasa(project: RasaProject, *args: str) -> None:
    result = subprocess.run(
        [str(RASA), *args], cwd=ROOT, env=project.env(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"rasa {args[0]} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")


def confusions(errors: list[dict[str, Any]]) -> list[tuple[str, str, int]]:
    pairs = Counter((e["intent"], e["intent_prediction"]["name"]) for e in errors)
    return [(gold, predicted, n) for (gold, predicted), n in pairs.most_common()]


def dev_questions(work: Path) -> Path:
    """The dev sets as the gateway sends them to Rasa (regional normalisation, personal data
    masked), as an NLU test file: the tenants' answerable questions labelled ask_faq, the
    out-of-scope set (asked of seohae-mudfest, as bench/rasa_chat_latency.py does) out_of_scope.
    Evaluation only: dev questions never go into training data."""
    from bot.privacy import mask_personal_data
    from bot.runtime import Runtime
    from bot.settings import Settings

    runtime = Runtime(Settings(data_dir=ROOT / "data", state_dir=work / "state"))
    sets = {"ask_faq": [(t, f"{t}.csv") for t in TENANTS], "out_of_scope": [("seohae-mudfest", "oos.csv")]}
    document: dict[str, Any] = {"version": "3.1", "nlu": []}
    for intent, files in sets.items():
        texts = []
        for tenant, name in files:
            with (EVAL / name).open(encoding="utf-8") as f:
                queries = [row["query"] for row in csv.DictReader(f)]
            texts += [mask_personal_data(runtime.normalise(tenant, query)) for query in queries]
        # Brackets would read as Rasa's entity annotation syntax.
        examples = "".join(f"- {t.replace('[', '(').replace(']', ')')}\n" for t in texts)
        document["nlu"].append({"intent": intent, "examples": examples})
    path = work / "dev_questions.yml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def routed_to_search(project: RasaProject, model: Path, questions: Path, out: Path) -> dict[str, str]:
    """Per label of ``questions``: how many the model sends to the FAQ search, e.g. "199/200"."""
    rasa(project, "test", "nlu", "-m", str(model), "--nlu", str(questions), "--out", str(out), "--no-plot")
    report = json.loads((out / "intent_report.json").read_text(encoding="utf-8"))
    errors_file = out / "intent_errors.json"
    errors = json.loads(errors_file.read_text(encoding="utf-8")) if errors_file.exists() else []
    routed = {}
    for block in yaml.safe_load(questions.read_text(encoding="utf-8"))["nlu"]:
        intent, total = block["intent"], report[block["intent"]]["support"]
        elsewhere = sum(
            1 for e in errors if e["intent"] == intent and e["intent_prediction"]["name"] not in SEARCHED
        )
        routed[intent] = f"{total - elsewhere}/{total}"
    return routed


def run_variant(project: RasaProject, name: str, split: Path, work: Path) -> dict[str, Any]:
    config = work / f"config-{name}.yml"
    config.write_text(yaml.safe_dump(variant_config(name), allow_unicode=True), encoding="utf-8")
    models, results = work / f"models-{name}", work / f"results-{name}"
    started = time.monotonic()
    rasa(project, "train", "nlu", "-c", str(config), "--nlu", str(split / "training_data.yml"),
         "--out", str(models), "--fixed-model-name", name)  # fmt: skip
    train_seconds = time.monotonic() - started
    rasa(project, "test", "nlu", "-m", str(models / f"{name}.tar.gz"), "--nlu", str(split / "test_data.yml"),
         "--out", str(results), "--no-plot")  # fmt: skip
    report = json.loads((results / "intent_report.json").read_text(encoding="utf-8"))
    errors_file = results / "intent_errors.json"
    errors = json.loads(errors_file.read_text(encoding="utf-8")) if errors_file.exists() else []
    routed = routed_to_search(
        project, models / f"{name}.tar.gz", work / "dev_questions.yml", work / f"dev-{name}"
    )
    if name == "kiwi":
        target = OUT / "nlu"
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        for file in ("intent_report.json", "intent_errors.json"):
            if (results / file).exists():
                shutil.copy(results / file, target / file)
        write_summary(target / "SUMMARY.md", report, confusions(errors), train_seconds)
    return {
        "variant": name,
        "f1": report["weighted avg"]["f1-score"],
        "macro_f1": report["macro avg"]["f1-score"],
        "accuracy": report["accuracy"],
        "train_s": train_seconds,
        "errors": len(errors),
        "routed": routed,
        "test_examples": report["weighted avg"]["support"],
    }


_AVERAGES = ("weighted avg", "macro avg", "micro avg")


def write_summary(
    path: Path, report: dict[str, Any], pairs: list[tuple[str, str, int]], seconds: float
) -> None:
    lines = [
        "# `rasa test nlu` — held-out 20 % of data/rasa/nlu.yml (seed 42), pipeline of config.yml",
        "",
        f"Weighted intent F1 {report['weighted avg']['f1-score']:.3f}, accuracy {report['accuracy']:.3f}, "
        f"NLU training {seconds:.0f} s (wall, 2 cores, including Rasa start-up).",
        "",
        "| intent | precision | recall | F1 | support |",
        "|---|---|---|---|---|",
    ]
    for intent, row in sorted(report.items()):
        if isinstance(row, dict) and "support" in row and intent not in _AVERAGES:
            scores = " | ".join(f"{row[k]:.2f}" for k in ("precision", "recall", "f1-score"))
            lines.append(f"| {intent} | {scores} | {row['support']} |")
    lines += ["", "## Confusions (gold → predicted: count)", ""]
    lines += [f"- {gold} → {predicted}: {n}" for gold, predicted, n in pairs] or ["- none"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_stories(project: RasaProject) -> None:
    model = project.train()
    results = OUT / "core"
    shutil.rmtree(results, ignore_errors=True)
    rasa(project, "test", "core", "-m", str(model), "--stories", "data/rasa/stories.yml",
         "--out", str(results), "--no-plot")  # fmt: skip
    report = json.loads((results / "story_report.json").read_text(encoding="utf-8"))
    print(f"\nrasa test core (data/rasa/stories.yml): action accuracy {report['accuracy']:.3f}, "
          f"weighted F1 {report['weighted avg']['f1-score']:.3f}; reports in {results}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", default="kiwi,diet,whitespace", help="comma-separated; empty: none")
    parser.add_argument("--stories", action="store_true")
    args = parser.parse_args()
    project = RasaProject(ROOT, ROOT / "var" / "rasa" / "models")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rasa(project, "data", "split", "nlu", "-u", "data/rasa/nlu.yml", "--training-fraction", "0.8",
             "--random-seed", "42", "--out", str(work / "split"))  # fmt: skip
        dev_questions(work)
        for name in filter(None, args.variants.split(",")):
            rows.append(run_variant(project, name, work / "split", work))
            print(f"done: {name}", file=sys.stderr)
    if rows:
        print_table(rows)
    if args.stories:
        test_stories(project)


def print_table(rows: list[dict[str, Any]]) -> None:
    print(f"\n{'variant':<12}{'weighted F1':>12}{'macro F1':>10}{'accuracy':>10}{'errors':>8}{'train s':>9}"
          f"  dev questions searched (answerable, out of scope)")  # fmt: skip
    for r in rows:
        searched = ", ".join(r["routed"].values())
        print(f"{r['variant']:<12}{r['f1']:>12.3f}{r['macro_f1']:>10.3f}{r['accuracy']:>10.3f}"
              f"{r['errors']:>8}{r['train_s']:>9.0f}  {searched}")  # fmt: skip
    print(f"(held-out examples: {rows[0]['test_examples']})")


if __name__ == "__main__":
    main()
