"""Load on the chat API: throughput, latency percentiles, errors, process RSS and CPU, the cache gain.

Measured at 10, 50 and 200 concurrent sessions (or ``--sessions``): throughput, p50/p95/p99, error
rate, turns Rasa did not answer (degraded to direct retrieval), peak RSS of every server process,
CPU milliseconds per turn of each process (the app, Rasa, and this load generator: the figure that
stays comparable when other work shares the machine), and how much repeated popular questions cost.

Run: .venv/bin/python bench/load_chat.py [--sessions 1,10,50] [--rasa] [--think 5,15] [--no-cache] [--quick]
Starts the app in a child process (uvicorn, loopback, rate limits off) over a temporary copy of
data/; with --rasa the Rasa server runs beside it exactly as `faqbot serve` starts it (the
project's trained model is reused when current) and every turn goes through the dialogue.
A bounded asyncio httpx client sends the dev-set questions of ../shared/eval/<tenant>.csv, each
concurrent session asking its share in turn; any non-200 answer counts as an error and the run
fails unless there are none. Bounded: about 2,200 turns at the default levels.

Think time (``--think MIN,MAX``, default 5,15): a session is a visitor in a conversation, so between
two of its messages it waits a random time, uniform in [MIN, MAX] seconds — the visitor reads the
answer (a two- or three-sentence Korean FAQ answer, ~150 syllables, with buttons) and types the next
question on a phone. Silent reading runs at roughly 10 syllables a second and phone typing at one or
two, so reading and typing take about 15–25 s: a mean of 10 s (sessions / 10 s arrivals) is still a
pessimistic pace for that many visitors. ``--think 3,7`` is a harder stress level. Each session
starts at a random moment within the first MAX seconds, as visitors do not arrive at once.
``--think 0`` is the closed loop (every session sends its next message the moment it has the
answer): a stress figure, the throughput ceiling, not a number of visitors.

A degraded turn (Rasa did not answer within ``rasa_timeout`` and the gateway answered from
retrieval) is a 200 to the client but not a Rasa-path turn: the "degraded" column counts them (from
the server's /metrics), and a level meets the Rasa-path target only if it has none.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import csv
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from itertools import cycle
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EVAL = ROOT.parent / "shared" / "eval"
TENANTS = ("gaeram-univ", "seohae-mudfest", "namgang-lantern")
DEFAULT_SESSIONS = (10, 50, 200)
DEFAULT_THINK = (5.0, 15.0)  # seconds between a visitor's messages (see the module docstring)
# Turns per level: enough for a stable p99 without a long run (other levels: 4 turns a session).
TURNS = {1: 150, 10: 200, 50: 400, 200: 800}
# Messages per conversation in a soak: a visitor asks a few questions and leaves.
SOAK_VISIT = 5
POPULAR = 20  # the "popular questions" workload: this many distinct questions asked over and over
RESULTS = ROOT / "bench" / "RESULTS.md"


def turns_for(sessions: int, quick: bool) -> int:
    turns = TURNS.get(sessions, max(150, 4 * sessions))
    return turns // 2 if quick else turns


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def questions() -> list[tuple[str, str]]:
    """(tenant, question) pairs of the dev sets of the three demo tenants."""
    pairs = []
    for tenant in TENANTS:
        with (EVAL / f"{tenant}.csv").open(encoding="utf-8") as f:
            pairs += [(tenant, row["query"]) for row in csv.DictReader(f)]
    return pairs


Think = tuple[float, float]


async def run_level(
    client: httpx.AsyncClient,
    sessions: int,
    work: list[tuple[str, str]],
    think: Think,
    until: float | None = None,
) -> dict:
    """``sessions`` concurrent visitors asking the questions of ``work`` in turn (session ``w``
    asks items w, w + sessions, …), pausing ``think`` seconds between messages. With ``until``
    (a time.monotonic() deadline) each session cycles through its share until then (a soak), and
    every ``SOAK_VISIT`` messages a new visitor (a new conversation) takes the seat."""
    latencies: list[float] = []
    errors: collections.Counter[str] = collections.Counter()  # by status code or exception
    rng = random.Random(sessions)

    async def session(worker: int) -> None:
        session_ids: dict[str, str] = {}  # one conversation per tenant this visitor talks to
        share = work[worker::sessions]
        if think[1] > 0:
            await asyncio.sleep(rng.uniform(0, think[1]))  # visitors arrive spread out
        for i, (tenant, query) in enumerate(cycle(share) if until else share):
            if until and time.monotonic() > until:
                break
            if until and i % SOAK_VISIT == 0:
                session_ids.clear()
            if i and think[1] > 0:
                await asyncio.sleep(rng.uniform(*think))
            started = time.perf_counter()
            try:
                response = await client.post(
                    "/api/v1/chat",
                    json={"tenant": tenant, "session_id": session_ids.get(tenant), "message": query},
                )
                error = None if response.status_code == 200 else str(response.status_code)
            except httpx.HTTPError as exc:
                error = type(exc).__name__
            latencies.append((time.perf_counter() - started) * 1000)
            if error is None:
                session_ids[tenant] = response.json()["session_id"]
            else:
                errors[error] += 1

    degraded_before = await degradations(client)
    started = time.perf_counter()
    await asyncio.gather(*(session(w) for w in range(sessions)))
    wall = time.perf_counter() - started
    return {
        "sessions": sessions,
        "think": think,
        "turns": len(latencies),
        "rps": len(latencies) / wall,
        "p50": percentile(latencies, 0.50),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "errors": errors.total(),
        "error_kinds": dict(errors),
        "degraded": await degradations(client) - degraded_before,
    }


def client_for(base_url: str) -> httpx.AsyncClient:
    """The visitors' HTTP client. Idle connections are dropped after 2 s, before uvicorn closes
    them (5 s): a browser retries a request that fails on a reused connection the server has just
    closed, httpx does not, and with think time that race would show up as client-side errors
    that no visitor sees."""
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=256, keepalive_expiry=2.0)
    return httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30.0)


async def degradations(client: httpx.AsyncClient) -> int:
    """Turns the gateway answered without Rasa so far (the server's own counter)."""
    metrics = (await client.get("/metrics")).text
    return round(
        sum(float(line.rsplit(" ", 1)[1]) for line in metric_lines(metrics, "rasa_degradations_total"))
    )


def workload(pool: list[tuple[str, str]], turns: int) -> list[tuple[str, str]]:
    """``turns`` questions cycling through ``pool``."""
    source = cycle(pool)
    return [next(source) for _ in range(turns)]


def serve(port: int, data: Path, state: Path, rasa: bool) -> None:
    """Child process: the app (and, with --rasa, the Rasa server) as `faqbot serve` runs them."""
    import uvicorn

    from bot.app import create_app
    from bot.dialogue.sidecar import rasa_alongside
    from bot.settings import ChatLimits, Settings

    settings = Settings(
        data_dir=data, state_dir=state, port=port, chat_limits=ChatLimits(enabled=False), log_level="WARNING"
    )
    if not rasa:
        uvicorn.run(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
        return
    with rasa_alongside(settings, lambda line: print(line, file=sys.stderr)) as (settings, own_rasa):
        uvicorn.run(create_app(settings, own_rasa=own_rasa), host="127.0.0.1", port=port, log_level="warning")


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (from /proc; Linux only)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            todo += [int(child) for child in task.read_text().split()]
    return found


def rss_mb(pid: int) -> tuple[str, float]:
    """(command name, resident set size in MB) of one process."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except FileNotFoundError:
        return ("gone", 0.0)
    kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    words = [w.decode() for w in cmdline if w]
    rasa = any(w.endswith("/rasa") or w in ("rasa", "rasa_server") for w in words)
    name = "rasa" if rasa else Path(words[0]).name
    if "--serve" in words:
        name = "app (uvicorn)"
    return name, kb / 1024


def stop_tree(child: subprocess.Popen[bytes]) -> None:
    """Stop the server and every process it started (the Rasa server must not outlive the run)."""
    tree = process_tree(child.pid)
    child.terminate()
    try:
        child.wait(timeout=60)
    except subprocess.TimeoutExpired:
        child.kill()
    for pid in tree[1:]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (from /proc; 0 when it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return 0.0
    # Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class RssSampler:
    """Peak RSS and CPU time of each process of the server tree (and of this load generator)
    while a level runs: CPU ms per turn by process tells where a turn's cost goes, and stays
    comparable when other work shares the machine (wall-clock latency does not)."""

    def __init__(self, root_pid: int) -> None:
        self.root_pid = root_pid
        self.peaks: dict[int, tuple[str, float]] = {}
        self.cpu_start = {pid: cpu_seconds(pid) for pid in [os.getpid(), *process_tree(root_pid)]}
        self.cpu_used: dict[str, float] = {}

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            for pid in process_tree(self.root_pid):
                name, mb = rss_mb(pid)
                if mb > self.peaks.get(pid, ("", 0.0))[1]:
                    self.peaks[pid] = (name, mb)
            await asyncio.sleep(0.25)
        for pid, start in self.cpu_start.items():
            name = "load generator" if pid == os.getpid() else self.peaks.get(pid, ("", 0.0))[0]
            if name:
                self.cpu_used[name] = self.cpu_used.get(name, 0.0) + cpu_seconds(pid) - start

    def summary(self) -> str:
        big = sorted((mb, name) for name, mb in self.peaks.values() if mb > 20)
        return ", ".join(f"{name} {mb:.0f}" for mb, name in reversed(big))

    def cpu_per_turn(self, turns: int) -> str:
        """CPU ms per turn by process, largest first."""
        used = sorted(((s, name) for name, s in self.cpu_used.items() if s > 0), reverse=True)
        return ", ".join(f"{name} {1000 * s / max(1, turns):.1f}" for s, name in used)


async def wait_ready(client: httpx.AsyncClient, rasa: bool) -> None:
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            response = await client.get("/readyz")
            if response.status_code == 200 and (not rasa or response.json().get("rasa")):
                return
        except httpx.HTTPError:
            pass
        await asyncio.sleep(1)
    raise SystemExit("the app (and Rasa) did not become ready within 600 s")


async def measure(
    base_url: str, server_pid: int, rasa: bool, levels: tuple[tuple[int, int], ...], think: Think
) -> dict:
    pool = questions()
    popular = pool[:: max(1, len(pool) // POPULAR)][:POPULAR]
    async with client_for(base_url) as client:
        await wait_ready(client, rasa)
        await run_level(client, 5, workload(pool, 20), (0.0, 0.0))  # warm-up
        rows = []
        for name, questions_pool in (("dev set", pool), (f"{POPULAR} popular", popular)):
            for sessions, turns in levels if name == "dev set" else levels[-1:]:
                sampler, stop = RssSampler(server_pid), asyncio.Event()
                sampling = asyncio.create_task(sampler.run(stop))
                row = await run_level(client, sessions, workload(questions_pool, turns), think)
                stop.set()
                await sampling
                cpu = sampler.cpu_per_turn(row["turns"])
                rows.append({**row, "workload": name, "rss": sampler.summary(), "cpu": cpu})
                print(format_row(rows[-1]), flush=True)
        metrics = (await client.get("/metrics")).text
    return {
        "rows": rows,
        "cache": metric_lines(metrics, "cache"),
        "statuses": chat_statuses(metrics),
        "degradations": metric_lines(metrics, "faqbot_rasa_degradations_total"),
        "decisions": metric_lines(metrics, "faqbot_decisions_total"),
    }


def metric_lines(metrics: str, word: str) -> list[str]:
    return [line for line in metrics.splitlines() if word in line and not line.startswith("#")]


def chat_statuses(metrics: str) -> dict[str, float]:
    """Server-side count of chat responses by status (tells client timeouts from server errors)."""
    counts: dict[str, float] = {}
    for line in metric_lines(metrics, 'faqbot_http_requests_total{endpoint="/api/v1/chat"'):
        status = line.split('status="')[1].split('"')[0]
        counts[status] = counts.get(status, 0) + float(line.rsplit(" ", 1)[1])
    return counts


def think_label(think: Think) -> str:
    return "none (closed loop)" if think[1] <= 0 else f"{think[0]:g}–{think[1]:g} s"


def format_row(r: dict) -> str:
    error_rate = 100 * r["errors"] / max(1, r["turns"])
    kinds = "".join(f", {kind} {n}" for kind, n in r.get("error_kinds", {}).items())
    return (
        f"| {r['workload']} | {r['sessions']} | {think_label(r['think'])} | {r['turns']} | {r['rps']:.1f} | "
        f"{r['p50']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} | {r['errors']} ({error_rate:.1f}%{kinds}) | "
        f"{r['degraded']} | {r['rss']} | {r.get('cpu', '')} |"
    )


def table(rows: list[dict]) -> str:
    head = (
        "| workload | concurrent sessions | think time | turns | req/s | p50 ms | p95 ms | p99 ms | errors "
        "| degraded to retrieval | peak RSS MB by process | CPU ms per turn by process |\n"
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|"
    )
    return "\n".join([head, *(format_row(r) for r in rows)])


def record(result: dict, rasa: bool, cache: bool, sessions: tuple[int, ...], think: Think) -> None:
    """Replace this script's own section of bench/RESULTS.md (one per mode), leaving others alone."""
    mode = f"{'full Rasa path' if rasa else 'direct retrieval'}, search cache {'on' if cache else 'off'}"
    if think != DEFAULT_THINK:
        mode += f", think time {think_label(think)}"
    levels = "/".join(str(n) for n in sessions)
    heading = f"## Load: chat API at {levels} sessions ({mode})"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    counters = "Search-result cache counters from /metrics at the end: " + "; ".join(result["cache"])
    options = "" if sessions == DEFAULT_SESSIONS else f" --sessions {levels.replace('/', ',')}"
    options += "" if think == DEFAULT_THINK else f" --think {think[0]:g},{think[1]:g}"
    command = f"bench/load_chat.py{options}{' --rasa' if rasa else ''}{'' if cache else ' --no-cache'}"
    section = (
        f"{heading}\n\n`{command}` on {time.strftime('%Y-%m-%d %H:%M')} "
        f"UTC: one uvicorn worker on loopback, rate limits off, dev-set questions of the three demo "
        f"tenants, think time {think_label(think)}, {os.cpu_count()} CPU cores shared with other work "
        f"(numbers are pessimistic).\n\n"
        f"{table(result['rows'])}\n\nChat responses by status as the server counted them: "
        f"{result['statuses']}. {counters}. Turns Rasa could not answer in time (answered from "
        f"retrieval): {'; '.join(result['degradations']) or 'none'}.\n"
    )
    if heading in text:
        start = text.index(heading)
        end = text.find("\n## ", start + len(heading))
        text = text[:start] + section + ("" if end < 0 else text[end:])
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text, encoding="utf-8")


@contextlib.contextmanager
def running_server(rasa: bool, cache: bool = True) -> Iterator[tuple[str, int]]:
    """(base URL, pid) of the app server — with the Rasa server beside it if ``rasa`` — running in
    a child process over a temporary copy of data/; everything is stopped on exit."""
    from bot.demo import import_demo_faqs
    from bot.settings import Settings

    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        data, state = Path(tmp) / "data", Path(tmp) / "var"
        shutil.copytree(ROOT / "data", data)
        import_demo_faqs(Settings(data_dir=data, demo_source=ROOT.parent / "shared" / "faq"))
        if rasa and (ROOT / "var" / "rasa" / "models").is_dir():
            # Reuse the trained model; it is retrained only if its inputs changed.
            shutil.copytree(ROOT / "var" / "rasa" / "models", state / "rasa" / "models")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        command = [sys.executable, __file__, "--serve", str(port), str(data), str(state), str(int(rasa))]
        env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
        if not cache:
            env["FAQBOT_SEARCH_CACHE_SIZE"] = "0"
        child = subprocess.Popen(command, cwd=ROOT, env=env)
        try:
            yield f"http://127.0.0.1:{port}", child.pid
        finally:
            stop_tree(child)


def parse_think(text: str) -> Think:
    low, _, high = text.partition(",")
    think = (float(low), float(high or low))
    if not 0 <= think[0] <= think[1]:
        raise argparse.ArgumentTypeError("--think MIN,MAX with 0 <= MIN <= MAX")
    return think


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sessions",
        type=lambda text: tuple(int(n) for n in text.split(",")),
        default=DEFAULT_SESSIONS,
        help="comma-separated concurrency levels (default 10,50,200; issue 5's latency run: 1,10,50)",
    )
    parser.add_argument("--rasa", action="store_true", help="through the Rasa dialogue (full path)")
    parser.add_argument(
        "--think",
        type=parse_think,
        default=DEFAULT_THINK,
        help="seconds a visitor pauses between messages, uniform MIN,MAX (default 5,15); 0 = closed loop",
    )
    parser.add_argument("--quick", action="store_true", help="fewer turns; results not recorded")
    parser.add_argument("--no-cache", action="store_true", help="search-result cache off (the baseline)")
    args = parser.parse_args()
    levels = tuple((n, turns_for(n, args.quick)) for n in args.sessions)
    with running_server(args.rasa, cache=not args.no_cache) as (url, pid):
        result = asyncio.run(measure(url, pid, args.rasa, levels, args.think))
    print(table(result["rows"]))
    print("chat responses by status, counted by the server:", result["statuses"])
    print("\n".join(result["degradations"] + result["decisions"] + result["cache"]))
    if not args.quick:
        record(result, args.rasa, not args.no_cache, args.sessions, args.think)
    print(
        f"p50 of the popular workload vs the dev set at {args.sessions[-1]} sessions: "
        f"{result['rows'][-1]['p50']:.0f} vs {result['rows'][-2]['p50']:.0f} ms"
    )
    if any(r["errors"] for r in result["rows"]):
        raise SystemExit("errors under load")


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]), sys.argv[5] == "1")
    else:
        main()
