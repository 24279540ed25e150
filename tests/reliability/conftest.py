"""Postgres and Redis for the reliability tests, from scripts/services.sh (marked ``services``)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
import redis

# The Rasa model fixtures of the dialogue tests (trained once per input hash), for the scale-out stack.
from tests.dialogue.conftest import rasa_model, rasa_project

__all__ = ["rasa_model", "rasa_project"]


def _service_url(name: str) -> str:
    url = os.environ.get(name)
    if not url:
        pytest.skip(f"{name} is not set: run the tests under scripts/services.sh")
    return url


@contextmanager
def fresh_database() -> Iterator[str]:
    """SQLAlchemy URL of a new, empty database on the throwaway cluster (dropped afterwards)."""
    server = _service_url("FAQBOT_TEST_POSTGRES_URL")
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield server.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@contextmanager
def emptied_redis() -> Iterator[str]:
    """URL of the throwaway Redis, flushed afterwards."""
    url = _service_url("FAQBOT_TEST_REDIS_URL")
    yield url
    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()


@pytest.fixture(scope="session")
def services_available() -> None:
    """Skips before any costly fixture (a Rasa server) when scripts/services.sh is not running."""
    _service_url("FAQBOT_TEST_POSTGRES_URL")
    _service_url("FAQBOT_TEST_REDIS_URL")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with fresh_database() as url:
        yield url


@pytest.fixture
def redis_url() -> Iterator[str]:
    with emptied_redis() as url:
        yield url
