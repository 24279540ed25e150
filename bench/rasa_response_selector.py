"""Rasa's ResponseSelector trained on each demo FAQ set, beside our retrieval engine.

Run: .venv/bin/python bench/rasa_response_selector.py [--epochs 60]
For each demo tenant: top-1 on the answerable queries of ../shared/eval/<tenant>.csv, the time to
train, and the time to take a changed FAQ set live (ResponseSelector: retrain + load a model;
ours: rebuild the tenant's index + atomic swap, no Rasa involved). The ResponseSelector side runs
in .venv-rasa (bench/rasa_rs_worker.py). Bounded: about a minute per tenant on 2 cores.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.demo import import_demo_faqs  # noqa: E402
from bot.dialogue.model import RasaProject  # noqa: E402
from bot.runtime import Runtime  # noqa: E402
from bot.settings import Settings  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
TENANTS = ("gaeram-univ", "seohae-mudfest", "namgang-lantern")


def dev_queries(tenant: str) -> list[tuple[str, str]]:
    with (EVAL / f"{tenant}.csv").open(encoding="utf-8") as f:
        return [(r["query"], r["faq_id"]) for r in csv.DictReader(f) if r["faq_id"]]


def ours(runtime: Runtime, tenant: str, queries: list[tuple[str, str]]) -> dict[str, float]:
    runtime.load(tenant)  # index built/loaded before timing queries
    started = time.monotonic()
    hits = [runtime.search(tenant, q).best for q, _ in queries]
    query_ms = (time.monotonic() - started) * 1000 / len(queries)
    top1 = sum(h is not None and h.faq_id == gold for h, (_, gold) in zip(hits, queries, strict=True))
    # A changed FAQ set (one answer edited) goes live: rebuild this tenant's index and swap it in.
    entries = runtime.live_entries(tenant)
    entries[0] = dataclasses.replace(entries[0], answer=entries[0].answer + " (변경됨)")
    started = time.monotonic()
    runtime.swap(tenant, runtime.indexes.ensure(tenant, entries))
    live_s = time.monotonic() - started
    return {"top1": top1 / len(queries), "live_s": live_s, "query_ms": query_ms}


def response_selector(
    project: RasaProject, data: Path, tenant: str, queries: list[tuple[str, str]], work: Path, epochs: int
) -> dict[str, float]:
    work.mkdir(parents=True, exist_ok=True)
    queries_file = work / f"{tenant}-queries.json"
    queries_file.write_text(json.dumps([q for q, _ in queries], ensure_ascii=False), encoding="utf-8")
    command = [
        str(ROOT / ".venv-rasa" / "bin" / "python"),
        str(ROOT / "bench" / "rasa_rs_worker.py"),
        str(data / "tenants" / tenant / "faq.csv"),
        str(queries_file),
        str(work / tenant),
        str(epochs),
    ]
    result = subprocess.run(command, cwd=ROOT, env=project.env(), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"ResponseSelector worker failed:\n{result.stderr[-3000:]}")
    out = json.loads(result.stdout.strip().splitlines()[-1])
    top1 = sum(p == gold for p, (_, gold) in zip(out["predictions"], queries, strict=True))
    return {
        "top1": top1 / len(queries),
        "train_s": out["train_s"],
        "live_s": out["train_s"] + out["load_s"],
        "query_ms": out["query_ms"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=60)
    args = parser.parse_args()
    project = RasaProject(ROOT, ROOT / "var" / "rasa" / "models")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        data, work = Path(tmp) / "data", Path(tmp) / "work"
        shutil.copytree(ROOT / "data", data)
        settings = Settings(
            data_dir=data, state_dir=Path(tmp) / "var", demo_source=ROOT.parent / "shared" / "faq"
        )
        import_demo_faqs(settings)
        runtime = Runtime(settings)
        for tenant in TENANTS:
            queries = dev_queries(tenant)
            rows.append(
                (
                    tenant,
                    len(queries),
                    ours(runtime, tenant, queries),
                    response_selector(project, data, tenant, queries, work, args.epochs),
                )
            )
            print(f"done: {tenant}", file=sys.stderr)
    print(f"\nResponseSelector ({args.epochs} epochs, Kiwi + word/char n-grams) vs faqbot retrieval")
    print(
        f"{'tenant':<17}{'queries':>8}{'RS top-1':>10}{'ours top-1':>11}{'RS train s':>11}"
        f"{'RS live s':>10}{'ours live s':>12}{'RS ms/q':>8}{'ours ms/q':>10}"
    )
    for tenant, n, o, rs in rows:
        print(
            f"{tenant:<17}{n:>8}{rs['top1']:>10.3f}{o['top1']:>11.3f}{rs['train_s']:>11.1f}"
            f"{rs['live_s']:>10.1f}{o['live_s']:>12.2f}{rs['query_ms']:>8.1f}{o['query_ms']:>10.1f}"
        )


if __name__ == "__main__":
    main()
