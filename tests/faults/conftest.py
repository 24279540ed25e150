"""Fixtures of the fault tests: the app as a real process over a private copy of a served state."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Engineer B's fixtures (the trained model, reused unchanged): imported so the Rasa fault test
# starts the same server as tests/dialogue.
from tests.dialogue.conftest import rasa_model, rasa_project
from tests.faults.app_process import AppProcess

__all__ = ["rasa_model", "rasa_project"]


@pytest.fixture(scope="session")
def served_state(demo_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """data/ and var/ after one start and a clean stop: seed versions stored and indexes built,
    so each test starts in seconds instead of building three indexes again."""
    root = tmp_path_factory.mktemp("served")
    shutil.copytree(demo_data, root / "data")
    first = AppProcess(root / "data", root / "var")
    first.start()
    first.stop()
    return root


@pytest.fixture
def app(served_state: Path, tmp_path: Path) -> Iterator[AppProcess]:
    """A not yet started app over a private copy of the served state."""
    for part in ("data", "var"):
        shutil.copytree(served_state / part, tmp_path / part)
    process = AppProcess(tmp_path / "data", tmp_path / "var")
    yield process
    process.stop()
