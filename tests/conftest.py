"""Shared fixtures: real encoder, real Kiwi, real FAISS; each test gets its own state directory."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.demo import import_demo_faqs
from bot.runtime import Runtime
from bot.settings import Settings
from retrieval import Encoder, EncoderConfig, make_encoder

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEMO_TENANTS = ("gaeram-univ", "seohae-mudfest", "namgang-lantern")


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    """The offline default encoder, loaded once (about 0.1 s, then ~1 ms a query)."""
    return make_encoder(EncoderConfig())


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of data/ with the demo FAQ sets imported, shared read-only by the session."""
    data = tmp_path_factory.mktemp("data")
    shutil.copytree(ROOT / "data", data, dirs_exist_ok=True)
    import_demo_faqs(Settings(data_dir=data, demo_source=SHARED / "faq"))
    return data


@pytest.fixture
def data_dir(demo_data: Path, tmp_path: Path) -> Path:
    """A private, writable copy of the demo data for tests that change tenants or FAQ sets."""
    target = tmp_path / "data"
    shutil.copytree(demo_data, target)
    return target


@pytest.fixture
def settings(data_dir: Path, tmp_path: Path) -> Settings:
    return Settings(data_dir=data_dir, state_dir=tmp_path / "var", demo_source=SHARED / "faq")


@pytest.fixture
def runtime(settings: Settings, encoder: Encoder) -> Iterator[Runtime]:
    yield Runtime(settings, encoder=encoder)
