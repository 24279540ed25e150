"""One runtime for the portal tests: they only read, so indexes are built once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.app import create_app
from bot.portals import PortalRouter
from bot.runtime import Runtime
from bot.settings import Settings
from retrieval import Encoder


@pytest.fixture(scope="session")
def portal_runtime(demo_data: Path, encoder: Encoder, tmp_path_factory: pytest.TempPathFactory) -> Runtime:
    state = tmp_path_factory.mktemp("portal-state")
    return Runtime(Settings(data_dir=demo_data, state_dir=state), encoder=encoder)


@pytest.fixture
def router(portal_runtime: Runtime) -> PortalRouter:
    return PortalRouter.load(portal_runtime)


@pytest.fixture
def client(portal_runtime: Runtime) -> Iterator[TestClient]:
    """The real app (fresh sessions) over the session's indexes."""
    with TestClient(create_app(portal_runtime.settings, portal_runtime)) as test_client:
        yield test_client
