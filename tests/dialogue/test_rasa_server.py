"""rasa_server's fixes to Rasa's hot path, checked on Rasa's own classes in .venv-rasa: they change
speed, not results."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from bot.dialogue.model import RasaProject
from tests.conftest import ROOT

pytestmark = pytest.mark.rasa

PROBE = Path(__file__).with_name("rasa_server_probe.py")


@pytest.fixture(scope="module")
def probe(rasa_project: RasaProject, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    workdir = tmp_path_factory.mktemp("rasa-server")
    result = subprocess.run(
        [str(rasa_project.python), str(PROBE), str(workdir)],
        cwd=ROOT,
        env=rasa_project.env(),
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def test_action_responses_are_still_validated(probe: dict[str, Any]) -> None:
    assert probe["validation"]["valid_accepted"] is True
    error = probe["validation"]["invalid_error"]
    assert error is not None and error.startswith("ValidationError")
    assert "Failed to validate Action server response" in error


def test_event_types_resolve_as_before(probe: dict[str, Any]) -> None:
    assert probe["event_types"] == {"resolved": True, "unknown": "ValueError", "default": True}


def test_sqlite_tracker_store_is_pooled_and_write_ahead_and_survives_a_crash(probe: dict[str, Any]) -> None:
    assert {k: v for k, v in probe["tracker_store"].items() if k != "two_sessions"} == {
        "pool": "QueuePool",
        "journal_mode": "wal",
        "slot_after_crash": "restroom",
    }


def test_sqlite_tracker_store_writes_and_reads_what_rasa_would(probe: dict[str, Any]) -> None:
    # Saved in three steps: every event stored once, in order; the latest session (from the
    # second session_started) and the full conversation read back equal Rasa's own ORM query.
    assert probe["tracker_store"]["two_sessions"] == {
        "rows": 8,
        "events": 8,
        "latest_as_rasa": True,
        "latest_events": 3,
        "full_as_rasa": True,
        "unknown": None,
    }


def test_action_calls_reuse_a_connection_until_it_idles(probe: dict[str, Any]) -> None:
    endpoint = probe["endpoint"]
    assert endpoint["replies"] == [{"ok": True}] * 3
    first, second, after_idle = endpoint["ports"]
    assert first == second
    assert after_idle != first
