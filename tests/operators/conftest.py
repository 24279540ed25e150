"""One real server per test module (real SQLite, real encoder, all demo tenants loaded)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval import Encoder
from tests.operators.live_server import LiveServer, serve_demo


@pytest.fixture(scope="module")
def server(
    demo_data: Path, tmp_path_factory: pytest.TempPathFactory, encoder: Encoder
) -> Iterator[LiveServer]:
    yield from serve_demo(demo_data, tmp_path_factory, encoder)
