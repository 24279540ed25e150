"""The installed ``faqbot`` entry point, run as a subprocess."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FAQBOT = ROOT / ".venv" / "bin" / "faqbot"


def faqbot(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(FAQBOT), *args], input=stdin, env=env, capture_output=True, text=True, timeout=240
    )
