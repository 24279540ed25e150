"""Runs the Rasa-environment tests of tests/nlu with .venv-rasa's own pytest."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"


@pytest.mark.rasa
def test_kiwi_tokenizer_in_rasa_env() -> None:
    assert RASA_PYTHON.exists(), "the Rasa environment is missing: run scripts/bootstrap.sh"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"}
    # --confcutdir: tests/conftest.py imports the app (FastAPI, FAISS), absent from the Rasa env.
    result = subprocess.run(
        [
            str(RASA_PYTHON),
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--confcutdir",
            "tests/nlu",
            "tests/nlu",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    sys.stdout.write(result.stdout[-4000:])
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
