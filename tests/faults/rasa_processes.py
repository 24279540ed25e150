"""The Rasa servers on this machine as /proc shows them (Linux), for tests that must prove none is
left behind."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def children(pid: int) -> list[int]:
    return [
        int(child)
        for task in Path(f"/proc/{pid}/task").glob("*/children")
        for child in task.read_text().split()
    ]


def command_line(pid: int) -> list[str]:
    try:
        return [word.decode() for word in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") if word]
    except (FileNotFoundError, ProcessLookupError):
        return []


def rasa_servers_of(pid: int) -> list[int]:
    """The Rasa servers (``python -m rasa_server run``) that process ``pid`` started."""
    return [child for child in children(pid) if command_line(child)[1:4] == ["-m", "rasa_server", "run"]]


def port_of(rasa_pid: int) -> int:
    words = command_line(rasa_pid)
    return int(words[words.index("-p") + 1])


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its parent to reap it is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_gone(pids: list[int], timeout: float) -> float:
    """Seconds until none of ``pids`` runs; fails after ``timeout``."""
    started = time.monotonic()
    while any(alive(pid) for pid in pids):
        if time.monotonic() - started > timeout:
            left = [(pid, command_line(pid)) for pid in pids if alive(pid)]
            raise AssertionError(f"still running after {timeout} s: {left}")
        time.sleep(0.2)
    return time.monotonic() - started


def wait_for(find: Callable[[], T], timeout: float) -> T:
    """``find()`` once it is truthy (a non-empty list, True); fails after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not (found := find()):
        if time.monotonic() > deadline:
            raise AssertionError(f"nothing found in {timeout} s")
        time.sleep(0.1)
    return found
