"""A private copy of the demo tenants for the CLI subprocesses of a test module."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.cli.cli import ROOT


@pytest.fixture(scope="module")
def env(demo_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    base = tmp_path_factory.mktemp("cli")
    shutil.copytree(demo_data, base / "data")
    return {
        **os.environ,
        "FAQBOT_DATA_DIR": str(base / "data"),
        "FAQBOT_STATE_DIR": str(base / "var"),
        "FAQBOT_DEMO_SOURCE": str(ROOT.parent / "shared" / "faq"),
        "RASA_TELEMETRY_ENABLED": "false",
        "COLUMNS": "200",  # rich wraps tables to the terminal width
    }
