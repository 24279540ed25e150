"""Apps over the demo tenants (real encoder, Kiwi, FAISS); tests/kakao and tests/web reuse these."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.app import create_app
from bot.runtime import Runtime
from bot.settings import ChatLimits, Settings
from retrieval import Encoder


def make_settings(demo_data: Path, state_dir: Path, **limits: object) -> Settings:
    return Settings(data_dir=demo_data, state_dir=state_dir, chat_limits=ChatLimits(**limits))


@pytest.fixture(scope="session")
def app_runtime(demo_data: Path, encoder: Encoder, tmp_path_factory: pytest.TempPathFactory) -> Runtime:
    """Indexes of the demo tenants, built once for the chat, Kakao and widget tests."""
    runtime = Runtime(make_settings(demo_data, tmp_path_factory.mktemp("var")), encoder=encoder)
    runtime.load_all()
    return runtime


@pytest.fixture
def client(app_runtime: Runtime) -> Iterator[TestClient]:
    """A fresh app (fresh sessions and rate limits) over the session's loaded indexes."""
    with TestClient(create_app(app_runtime.settings, app_runtime)) as test_client:
        yield test_client


@pytest.fixture
def app_with_limits(app_runtime: Runtime, tmp_path: Path) -> Callable[..., FastAPI]:
    """An app over the module's indexes with its own chat limits (ChatLimits fields as keywords)."""

    def build(**limits: object) -> FastAPI:
        return create_app(make_settings(app_runtime.settings.data_dir, tmp_path, **limits), app_runtime)

    return build
