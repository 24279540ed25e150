"""Soak: the full Rasa path under steady conversational load, with the RSS of each server process.

Run: .venv/bin/python bench/soak_chat.py [--sessions 200] [--duration 600] [--think 5,15] [--interval 30]
Starts the app and the Rasa server as bench/load_chat.py does (same child process, same temporary
data), then keeps ``--sessions`` visitors in conversation for ``--duration`` seconds, each pausing
``--think`` seconds between messages (see load_chat.py for why), cycling through the dev-set
questions. Every ``--interval`` seconds it samples the resident set size of every server process.
Prints the samples, then per process RSS at start / middle / end and the least-squares slope in
MB per minute over the whole run and over its second half (after caches and the tracker store have
warmed up, a flat memory profile has a second-half slope near zero), and the load figures of the
whole run (errors and turns degraded to direct retrieval must be zero). A bench, not a test:
bounded by ``--duration`` plus about a minute to start.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_chat import (
    DEFAULT_THINK,
    RssSampler,
    client_for,
    parse_think,
    process_tree,
    questions,
    rss_mb,
    run_level,
    running_server,
    table,
    wait_ready,
    workload,
)

Sample = tuple[float, dict[str, float]]  # (minutes since start, MB by process name)


def sample(root_pid: int) -> dict[str, float]:
    by_name: dict[str, float] = {}
    for pid in process_tree(root_pid):
        name, mb = rss_mb(pid)
        if mb > 20:  # the server processes, not helpers such as a resource tracker
            by_name[name] = by_name.get(name, 0.0) + mb
    return by_name


async def sample_every(root_pid: int, interval: float, stop: asyncio.Event, out: list[Sample]) -> None:
    started = time.monotonic()
    while True:
        out.append(((time.monotonic() - started) / 60, sample(root_pid)))
        print(f"  {out[-1][0]:5.1f} min  " + ", ".join(f"{k} {v:.0f} MB" for k, v in out[-1][1].items()))
        try:
            await asyncio.wait_for(stop.wait(), interval)
            out.append(((time.monotonic() - started) / 60, sample(root_pid)))
            return
        except TimeoutError:
            continue


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope (MB per minute) of (minute, MB) points."""
    if len(points) < 2:
        return 0.0
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    var = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / var if var else 0.0


def memory_table(samples: list[Sample]) -> str:
    rows = [
        "| process | start MB | middle MB | end MB | slope MB/min (whole run) | slope MB/min (second half) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    names = sorted({name for _, by_name in samples for name in by_name})
    half = samples[-1][0] / 2
    for name in names:
        points = [(t, by_name[name]) for t, by_name in samples if name in by_name]
        middle = min(points, key=lambda p: abs(p[0] - half))[1]
        late = [p for p in points if p[0] >= half]
        rows.append(
            f"| {name} | {points[0][1]:.0f} | {middle:.0f} | {points[-1][1]:.0f} | "
            f"{slope(points):+.2f} | {slope(late):+.2f} |"
        )
    return "\n".join(rows)


async def soak(
    url: str, pid: int, sessions: int, duration: float, think: tuple[float, float], interval: float
) -> None:
    pool = questions()
    async with client_for(url) as client:
        await wait_ready(client, rasa=True)
        await run_level(client, 5, workload(pool, 20), (0.0, 0.0))  # warm-up
        samples: list[Sample] = []
        stop, cpu = asyncio.Event(), RssSampler(pid)
        sampling = asyncio.create_task(sample_every(pid, interval, stop, samples))
        cpu_sampling = asyncio.create_task(cpu.run(stop))
        row = await run_level(client, sessions, pool, think, until=time.monotonic() + duration)
        stop.set()
        await sampling
        await cpu_sampling
    print(f"\nSoak: {sessions} sessions through Rasa for {duration:.0f} s\n")
    print(table([{**row, "workload": "dev set (soak)", "rss": "", "cpu": cpu.cpu_per_turn(row["turns"])}]))
    print()
    print(memory_table(samples))
    if row["errors"] or row["degraded"]:
        print(f"NOT CLEAN: {row['errors']} errors, {row['degraded']} turns degraded to retrieval")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=200, help="concurrent visitors (default 200)")
    parser.add_argument("--duration", type=float, default=600.0, help="seconds of load (default 600)")
    parser.add_argument(
        "--think", type=parse_think, default=DEFAULT_THINK, help="MIN,MAX seconds (default 5,15)"
    )
    parser.add_argument(
        "--interval", type=float, default=30.0, help="seconds between RSS samples (default 30)"
    )
    args = parser.parse_args()
    with running_server(rasa=True) as (url, pid):
        asyncio.run(soak(url, pid, args.sessions, args.duration, args.think, args.interval))


if __name__ == "__main__":
    main()
