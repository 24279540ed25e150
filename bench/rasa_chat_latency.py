"""Chat turn latency through gateway + Rasa + custom action + retrieval, over the dev-set queries.

Run: .venv/bin/python bench/rasa_chat_latency.py [--compare-stock]
Starts the real stack (the app under uvicorn, the Rasa server with the trained model from
var/rasa/models, trained first if stale) and sends every query of ../shared/eval/<tenant>.csv and
oos.csv through POST /api/v1/chat, one at a time, in visits of five questions (a new session every
five turns). Prints p50/p95/p99 per tenant and overall, the CPU time the Rasa process spent per
turn (from /proc: unlike wall time, it hardly depends on what else the machine runs), how turns
were decided, top-1 of the FAQ each turn put first (the answer or the first suggestion) through
Rasa, and the same with the Rasa server killed (the gateway's direct-retrieval path, measured in
the same run); plus Rasa's NLU parse alone. With --compare-stock the same turns also go through a
second stack whose Rasa is started as plain `rasa run`, without rasa_server's fixes (the
baseline, same run). With --during-build N the turns through Rasa run again while the app's
background worker encodes a never-seen N-row FAQ set (e5) that an operator published for a tenant
of its own. Bounded: ~250 turns each way (~500 more with --compare-stock).
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic_faqs import demo_rows, synthesise  # noqa: E402
from bot.demo import import_demo_faqs  # noqa: E402
from bot.dialogue.model import RasaProject  # noqa: E402
from bot.operators import FaqLifecycle  # noqa: E402
from bot.search_cache import LruCache  # noqa: E402
from bot.settings import Settings  # noqa: E402
from retrieval import EncoderConfig, make_encoder  # noqa: E402
from tests.dialogue.stack import MODELS, Stack, running_stack  # noqa: E402
from tests.operators.files import csv_bytes, row  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
TENANTS = ("gaeram-univ", "seohae-mudfest", "namgang-lantern")
WARMUP = 10
# The tenant whose big FAQ set is encoded in the background during --during-build (a copy of
# gaeram-univ's settings and FAQ; no dev query is addressed to it).
LOAD_TENANT = "bench-load"
VISIT = 5  # questions per session


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class StockRasa(RasaProject):
    """The baseline: Rasa started as ``rasa run``, without rasa_server's fixes."""

    @property
    def server_command(self) -> list[str]:
        return [str(self.rasa_bin)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--compare-stock", action="store_true", help="also run the turns through stock `rasa run`"
    )
    parser.add_argument(
        "--during-build", type=int, default=0, metavar="ROWS", help="also while ROWS FAQs are encoded"
    )
    args = parser.parse_args()
    project = RasaProject(ROOT, MODELS)
    model = project.train()
    encoder = make_encoder(EncoderConfig())
    queries = [(t, row["query"], row["faq_id"]) for t in TENANTS for row in read(EVAL / f"{t}.csv")]
    queries += [("seohae-mudfest", row["query"], "") for row in read(EVAL / "oos.csv")]
    runs: list[tuple[str, Turns]] = []
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(ROOT / "data", data)
        import_demo_faqs(Settings(data_dir=data, demo_source=ROOT.parent / "shared" / "faq"))
        if args.during_build:
            shutil.copytree(data / "tenants" / "gaeram-univ", data / "tenants" / LOAD_TENANT)
        if args.compare_stock:
            stock = StockRasa(ROOT, MODELS)
            with running_stack(stock, model, data, Path(tmp) / "stock", encoder, rasa_timeout=2.0) as stack:
                runs.append(("gateway+stock Rasa", through_rasa(stack, queries)))
        with running_stack(project, model, data, Path(tmp) / "var", encoder, rasa_timeout=2.0) as stack:
            runs.append(("gateway+Rasa+action", through_rasa(stack, queries)))
            nlu_ms = []
            for _, query, _ in queries[::5]:
                started = time.perf_counter()
                stack.http.post(f"{stack.rasa.url}/model/parse", json={"text": query})
                nlu_ms.append((time.perf_counter() - started) * 1000)
            if args.during_build:
                runs.append(("…while e5 builds", while_building(stack, args.during_build, queries)))
            assert stack.rasa.process is not None
            stack.rasa.process.kill()
            stack.rasa.process.wait(30)
            direct = run_turns(stack, queries)
    runs.append(("direct (Rasa killed)", direct))
    print(f"\n{'path':<22}{'tenant':<18}{'turns':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'mean ms':>9}")
    for path, result in runs:
        everything = [v for values in result.latencies.values() for v in values]
        for name, values in [*result.latencies.items(), ("all", everything)]:
            stats = [percentile(values, 0.5), percentile(values, 0.95), percentile(values, 0.99)]
            columns = "".join(f"{v:>9.1f}" for v in [*stats, statistics.mean(values)])
            print(f"{path:<22}{name:<18}{len(values):>6}{columns}")
    print(
        f"\nRasa NLU parse alone ({len(nlu_ms)} queries): p50 {percentile(nlu_ms, 0.5):.1f} ms, "
        f"p95 {percentile(nlu_ms, 0.95):.1f} ms"
    )
    for path, result in runs:
        print(
            f"{path}: decisions {result.decisions}; top-1 of the first FAQ shown on "
            f"{result.answerable} answerable dev queries {result.top1 / result.answerable:.3f}"
        )
        if result.rasa_cpu_ms is not None:
            turns = sum(len(values) for values in result.latencies.values())
            cpu = result.rasa_cpu_ms / turns
            print(f"  Rasa process CPU {cpu:.1f} ms per turn; degraded turns: {result.degraded or 0}")


def through_rasa(stack: Stack, queries: list[tuple[str, str, str]]) -> Turns:
    """The turns through a running stack, after a warm-up, with the Rasa process's CPU time."""
    for tenant, query, _ in queries[:WARMUP]:
        stack.chat(tenant, query)
    assert stack.rasa.process is not None
    cpu_before = cpu_ms(stack.rasa.process.pid)
    result = run_turns(stack, queries)
    result.rasa_cpu_ms = cpu_ms(stack.rasa.process.pid) - cpu_before
    result.degraded = dict(stack.app.app.state.dialogue.degradations)
    return result


def while_building(stack: Stack, rows: int, queries: list[tuple[str, str, str]]) -> Turns:
    """The turns through Rasa while the app's background worker encodes a never-seen ``rows``-FAQ
    set published for LOAD_TENANT (live on its BM25 views at once, as `faqbot serve` publishes);
    then waits for the build, so what follows runs on an idle machine again."""
    runtime = stack.runtime
    runtime.background_dense = True
    lifecycle = FaqLifecycle(runtime)
    data = csv_bytes([row(e) for e in synthesise(demo_rows(), rows)], encoding="utf-8")
    draft = lifecycle.import_file(LOAD_TENANT, "load.csv", data, "bench")
    lifecycle.publish(LOAD_TENANT, draft.version, "bench", allow_deletions=True)
    result = through_rasa(stack, queries)
    progress = runtime.dense_builds.progress(LOAD_TENANT)
    assert progress is not None and progress.state == "building", "the build ended first: more ROWS"
    print(f"e5 build at the end of the turns: {progress.done:,} / {progress.total:,} FAQs", flush=True)
    runtime.dense_builds.wait()
    runtime.background_dense = False
    return result


def cpu_ms(pid: int) -> float:
    """User + system CPU time of a process so far, in ms (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


@dataclass
class Turns:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {t: [] for t in TENANTS})
    decisions: dict[str, int] = field(default_factory=dict)
    top1: int = 0
    answerable: int = 0
    rasa_cpu_ms: float | None = None
    degraded: dict[str, int] = field(default_factory=dict)


def run_turns(stack: Stack, queries: list[tuple[str, str, str]]) -> Turns:
    # Every path searches afresh: the runs repeat the same queries, which the search cache keeps.
    stack.runtime.search_cache = LruCache(stack.runtime.settings.search_cache_size)
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
