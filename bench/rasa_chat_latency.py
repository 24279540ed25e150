"""Chat turn latency through gateway + Rasa + custom action + retrieval, over the dev-set queries.

Run: .venv/bin/python bench/rasa_chat_latency.py
Starts the real stack (the app under uvicorn, the Rasa server with the trained model from
var/rasa/models, trained first if stale) and sends every query of ../shared/eval/<tenant>.csv and
oos.csv through POST /api/v1/chat, one at a time, in visits of five questions (a new session every
five turns). Prints p50/p95/p99 per tenant and overall, how turns were decided, top-1 of the FAQ
each turn put first (the answer or the first suggestion) through Rasa, and the same with the Rasa
server killed (the gateway's direct-retrieval path, measured in the same run); plus Rasa's NLU
parse alone. Bounded: ~250 turns each way.
"""

from __future__ import annotations

import csv
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.demo import import_demo_faqs  # noqa: E402
from bot.dialogue.model import RasaProject  # noqa: E402
from bot.settings import Settings  # noqa: E402
from retrieval import EncoderConfig, make_encoder  # noqa: E402
from tests.dialogue.stack import MODELS, Stack, running_stack  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
TENANTS = ("gaeram-univ", "seohae-mudfest", "namgang-lantern")
WARMUP = 10
VISIT = 5  # questions per session


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    project = RasaProject(ROOT, MODELS)
    model = project.train()
    encoder = make_encoder(EncoderConfig())
    with tempfile.TemporaryDirectory() as tmp:
        data, state = Path(tmp) / "data", Path(tmp) / "var"
        shutil.copytree(ROOT / "data", data)
        import_demo_faqs(Settings(data_dir=data, demo_source=ROOT.parent / "shared" / "faq"))
        with running_stack(project, model, data, state, encoder, rasa_timeout=2.0) as stack:
            queries = [(t, row["query"], row["faq_id"]) for t in TENANTS for row in read(EVAL / f"{t}.csv")]
            queries += [("seohae-mudfest", row["query"], "") for row in read(EVAL / "oos.csv")]
            for tenant, query, _ in queries[:WARMUP]:
                stack.chat(tenant, query)
            via_rasa = run_turns(stack, queries)
            nlu_ms = []
            for _, query, _ in queries[::5]:
                started = time.perf_counter()
                stack.http.post(f"{stack.rasa.url}/model/parse", json={"text": query})
                nlu_ms.append((time.perf_counter() - started) * 1000)
            degraded = dict(stack.app.app.state.dialogue.degradations)
            assert stack.rasa.process is not None
            stack.rasa.process.kill()
            stack.rasa.process.wait(30)
            direct = run_turns(stack, queries)
    print(f"\n{'path':<22}{'tenant':<18}{'turns':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'mean ms':>9}")
    for path, result in (("gateway+Rasa+action", via_rasa), ("direct (Rasa killed)", direct)):
        everything = [v for values in result.latencies.values() for v in values]
        for name, values in [*result.latencies.items(), ("all", everything)]:
            stats = [percentile(values, 0.5), percentile(values, 0.95), percentile(values, 0.99)]
            columns = "".join(f"{v:>9.1f}" for v in [*stats, statistics.mean(values)])
            print(f"{path:<22}{name:<18}{len(values):>6}{columns}")
    print(
        f"\nRasa NLU parse alone ({len(nlu_ms)} queries): p50 {percentile(nlu_ms, 0.5):.1f} ms, "
        f"p95 {percentile(nlu_ms, 0.95):.1f} ms"
    )
    for path, result in (("through Rasa", via_rasa), ("direct", direct)):
        print(
            f"{path}: decisions {result.decisions}; top-1 of the first FAQ shown on "
            f"{result.answerable} answerable dev queries {result.top1 / result.answerable:.3f}"
        )
    print(f"turns Rasa could not answer while it ran (degraded): {degraded or 0}")


@dataclass
class Turns:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {t: [] for t in TENANTS})
    decisions: dict[str, int] = field(default_factory=dict)
    top1: int = 0
    answerable: int = 0


def run_turns(stack: Stack, queries: list[tuple[str, str, str]]) -> Turns:
    result = Turns()
    session: str | None = None
    for i, (tenant, query, gold) in enumerate(queries):
        if i % VISIT == 0 or (i and queries[i - 1][0] != tenant):
            session = None
        started = time.perf_counter()
        reply = stack.chat(tenant, query, session)
        result.latencies[tenant].append((time.perf_counter() - started) * 1000)
        session = reply["session_id"]
        result.decisions[reply["decision"]] = result.decisions.get(reply["decision"], 0) + 1
        if gold:
            result.answerable += 1
            result.top1 += first_faq(reply) == gold
    return result


def first_faq(reply: dict[str, object]) -> str | None:
    """The FAQ a turn put first: the answer, or the first suggestion button."""
    if reply["decision"] == "answer":
        return reply["faq_id"]  # type: ignore[return-value]
    if reply["decision"] == "suggest":
        payload = reply["messages"][0]["buttons"][0]["payload"]  # type: ignore[index]
        return str(payload).split('"faq_id":"')[1].split('"')[0]
    return None


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


if __name__ == "__main__":
    main()
