"""Load on the chat API: throughput, latency percentiles, errors, process RSS and the cache gain.

Measured at 10, 50 and 200 concurrent sessions (or ``--sessions``): throughput, p50/p95/p99, error
rate, peak RSS of every server process, and how much repeated popular questions cost.

Run: .venv/bin/python bench/load_chat.py [--sessions 1,10,50] [--rasa] [--no-cache] [--quick]
Starts the app in a child process (uvicorn, loopback, rate limits off) over a temporary copy of
data/; with --rasa the Rasa server runs beside it exactly as `faqbot serve` starts it (the
project's trained model is reused when current) and every turn goes through the dialogue.
A bounded asyncio httpx client sends the dev-set questions of ../shared/eval/<tenant>.csv, each
concurrent session asking its share in turn; any non-200 answer counts as an error and the run
fails unless there are none. Bounded: about 2,200 turns at the default levels.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from itertools import cycle
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EVAL = ROOT.parent / "shared" / "eval"
TENANTS = ("gaeram-univ", "seohae-mudfest", "namgang-lantern")
DEFAULT_SESSIONS = (10, 50, 200)
# Turns per level: enough for a stable p99 without a long run (other levels: 4 turns a session).
TURNS = {1: 150, 10: 200, 50: 400, 200: 800}
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


async def run_level(
    client: httpx.AsyncClient, sessions: int, turns: int, pool: list[tuple[str, str]]
) -> dict:
    """``turns`` questions from ``pool`` asked by ``sessions`` concurrent visitors, each in turn."""
    source = cycle(pool)
    work = [next(source) for _ in range(turns)]
    latencies: list[float] = []
    errors = 0

    async def session(worker: int) -> None:
        nonlocal errors
        session_ids: dict[str, str] = {}  # one conversation per tenant this visitor talks to
        for tenant, query in work[worker::sessions]:
            started = time.perf_counter()
            try:
                response = await client.post(
                    "/api/v1/chat",
                    json={"tenant": tenant, "session_id": session_ids.get(tenant), "message": query},
                )
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            latencies.append((time.perf_counter() - started) * 1000)
            if ok:
                session_ids[tenant] = response.json()["session_id"]
            else:
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(session(w) for w in range(sessions)))
    wall = time.perf_counter() - started
    return {
        "sessions": sessions,
        "turns": turns,
        "rps": turns / wall,
        "p50": percentile(latencies, 0.50),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "errors": errors,
    }


def serve(port: int, data: Path, state: Path, rasa: bool) -> None:
    """Child process: the app (and, with --rasa, the Rasa server) as `faqbot serve` runs them."""
    import uvicorn

    from bot.app import create_app
    from bot.dialogue.processes import rasa_alongside
    from bot.settings import ChatLimits, Settings

    settings = Settings(
        data_dir=data, state_dir=state, port=port, chat_limits=ChatLimits(enabled=False), log_level="WARNING"
    )
    if not rasa:
        uvicorn.run(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
        return
    with rasa_alongside(settings, lambda line: print(line, file=sys.stderr)) as settings:
        uvicorn.run(create_app(settings), host="127.0.0.1", port=port, log_level="warning")


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
    name = "rasa" if any(w.endswith("/rasa") or w == "rasa" for w in words) else Path(words[0]).name
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


class RssSampler:
    """Peak RSS of each process of the server tree while a level runs."""

    def __init__(self, root_pid: int) -> None:
        self.root_pid = root_pid
        self.peaks: dict[int, tuple[str, float]] = {}

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            for pid in process_tree(self.root_pid):
                name, mb = rss_mb(pid)
                if mb > self.peaks.get(pid, ("", 0.0))[1]:
                    self.peaks[pid] = (name, mb)
            await asyncio.sleep(0.25)

    def summary(self) -> str:
        big = sorted((mb, name) for name, mb in self.peaks.values() if mb > 20)
        return ", ".join(f"{name} {mb:.0f}" for mb, name in reversed(big))


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


async def measure(base_url: str, server_pid: int, rasa: bool, levels: tuple[tuple[int, int], ...]) -> dict:
    pool = questions()
    popular = pool[:: max(1, len(pool) // POPULAR)][:POPULAR]
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=256)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30.0) as client:
        await wait_ready(client, rasa)
        await run_level(client, 5, 20, pool)  # warm-up
        rows = []
        for workload, questions_pool in (("dev set", pool), (f"{POPULAR} popular", popular)):
            for sessions, turns in levels if workload == "dev set" else levels[-1:]:
                sampler, stop = RssSampler(server_pid), asyncio.Event()
                sampling = asyncio.create_task(sampler.run(stop))
                row = await run_level(client, sessions, turns, questions_pool)
                stop.set()
                await sampling
                rows.append({**row, "workload": workload, "rss": sampler.summary()})
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


def format_row(r: dict) -> str:
    error_rate = 100 * r["errors"] / r["turns"]
    return (
        f"| {r['workload']} | {r['sessions']} | {r['turns']} | {r['rps']:.1f} | {r['p50']:.0f} | "
        f"{r['p95']:.0f} | {r['p99']:.0f} | {r['errors']} ({error_rate:.1f}%) | {r['rss']} |"
    )


def table(rows: list[dict]) -> str:
    head = (
        "| workload | concurrent sessions | turns | req/s | p50 ms | p95 ms | p99 ms | errors | "
        "peak RSS MB by process |\n|---|---:|---:|---:|---:|---:|---:|---:|---|"
    )
    return "\n".join([head, *(format_row(r) for r in rows)])


def record(result: dict, rasa: bool, cache: bool, sessions: tuple[int, ...]) -> None:
    """Replace this script's own section of bench/RESULTS.md (one per mode), leaving others alone."""
    mode = f"{'full Rasa path' if rasa else 'direct retrieval'}, search cache {'on' if cache else 'off'}"
    levels = "/".join(str(n) for n in sessions)
    heading = f"## Load: chat API at {levels} sessions ({mode})"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    counters = "Search-result cache counters from /metrics at the end: " + "; ".join(result["cache"])
    options = "" if sessions == DEFAULT_SESSIONS else f" --sessions {levels.replace('/', ',')}"
    command = f"bench/load_chat.py{options}{' --rasa' if rasa else ''}{'' if cache else ' --no-cache'}"
    section = (
        f"{heading}\n\n`{command}` on {time.strftime('%Y-%m-%d %H:%M')} "
        f"UTC: one uvicorn worker on loopback, rate limits off, dev-set questions of the three demo "
        f"tenants, {os.cpu_count()} CPU cores shared with other work (numbers are pessimistic).\n\n"
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sessions",
        type=lambda text: tuple(int(n) for n in text.split(",")),
        default=DEFAULT_SESSIONS,
        help="comma-separated concurrency levels (default 10,50,200; issue 5's latency run: 1,10,50)",
    )
    parser.add_argument("--rasa", action="store_true", help="through the Rasa dialogue (full path)")
    parser.add_argument("--quick", action="store_true", help="fewer turns; results not recorded")
    parser.add_argument("--no-cache", action="store_true", help="search-result cache off (the baseline)")
    args = parser.parse_args()
    from bot.demo import import_demo_faqs
    from bot.settings import Settings

    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        data, state = Path(tmp) / "data", Path(tmp) / "var"
        shutil.copytree(ROOT / "data", data)
        import_demo_faqs(Settings(data_dir=data, demo_source=ROOT.parent / "shared" / "faq"))
        if args.rasa and (ROOT / "var" / "rasa" / "models").is_dir():
            # Reuse the trained model; it is retrained only if its inputs changed.
            shutil.copytree(ROOT / "var" / "rasa" / "models", state / "rasa" / "models")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        command = [sys.executable, __file__, "--serve", str(port), str(data), str(state), str(int(args.rasa))]
        env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
        if args.no_cache:
            env["FAQBOT_SEARCH_CACHE_SIZE"] = "0"
        child = subprocess.Popen(command, cwd=ROOT, env=env)
        try:
            levels = tuple((n, turns_for(n, args.quick)) for n in args.sessions)
            result = asyncio.run(measure(f"http://127.0.0.1:{port}", child.pid, args.rasa, levels))
        finally:
            stop_tree(child)
    print(table(result["rows"]))
    print("chat responses by status, counted by the server:", result["statuses"])
    print("\n".join(result["degradations"] + result["decisions"] + result["cache"]))
    if not args.quick:
        record(result, args.rasa, not args.no_cache, args.sessions)
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
