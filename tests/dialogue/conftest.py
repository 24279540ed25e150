"""Fixtures of the dialogue tests: the Rasa model (trained once per input hash) and the stack."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.dialogue.model import RasaProject
from retrieval import Encoder
from tests.conftest import ROOT
from tests.dialogue.stack import MODELS, Stack, running_stack


@pytest.fixture(scope="session")
def rasa_project() -> RasaProject:
    project = RasaProject(ROOT, MODELS)
    if not project.available:
        pytest.fail("the Rasa environment .venv-rasa is missing: run scripts/bootstrap.sh")
    return project


@pytest.fixture(scope="session")
def rasa_model(rasa_project: RasaProject) -> Path:
    return rasa_project.train()


@pytest.fixture(scope="module")
def stack(
    rasa_project: RasaProject,
    rasa_model: Path,
    demo_data: Path,
    encoder: Encoder,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Stack]:
    # A generous Rasa timeout: a first turn on a loaded CI machine may be slow; the degraded path
    # is tested by killing Rasa.
    with running_stack(
        rasa_project, rasa_model, demo_data, tmp_path_factory.mktemp("var"), encoder, rasa_timeout=10.0
    ) as running:
        yield running
