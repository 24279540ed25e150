"""Rasa's endpoints file follows the settings: checked-in file alone, Postgres trackers + Redis locks
in scale-out mode (read back exactly as Rasa reads it: YAML with ${...} left for Rasa's env)."""

from __future__ import annotations

import stat
from pathlib import Path

import yaml

from bot.dialogue.endpoints import DEFAULT_ENDPOINTS, endpoints_file
from bot.settings import Settings


def test_embedded_stores_keep_the_checked_in_file(tmp_path: Path) -> None:
    assert endpoints_file(Settings(state_dir=tmp_path)) == DEFAULT_ENDPOINTS
    sqlite = Settings(state_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'x.db'}")
    assert endpoints_file(sqlite) == DEFAULT_ENDPOINTS
    assert not (tmp_path / "rasa").exists()


def test_postgres_and_redis_give_shared_trackers_and_locks(tmp_path: Path) -> None:
    settings = Settings(
        state_dir=tmp_path,
        database_url="postgresql+psycopg://faqbot:p%40ss@db.internal:5433/faqbot",
        redis_url="redis://:s3cret@cache.internal:6380/2",
    )
    path = endpoints_file(settings)
    assert path == (tmp_path / "rasa" / "endpoints.yml").resolve()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it holds the passwords
    assert yaml.safe_load(path.read_text()) == {
        "action_endpoint": {"url": "${FAQBOT_ACTION_URL}"},
        "tracker_store": {
            "type": "SQL",
            "dialect": "postgresql",
            "url": "db.internal",
            "port": 5433,
            "db": "faqbot",
            "username": "faqbot",
            "password": "p@ss",
        },
        "lock_store": {
            "type": "redis",
            "url": "cache.internal",
            "port": 6380,
            "db": 2,
            "key_prefix": "faqbot",
            "password": "s3cret",
        },
    }


def test_redis_alone_shares_locks_and_keeps_sqlite_trackers(tmp_path: Path) -> None:
    document = yaml.safe_load(
        endpoints_file(Settings(state_dir=tmp_path, redis_url="redis://127.0.0.1/0")).read_text()
    )
    assert document["tracker_store"] == {
        "type": "SQL",
        "dialect": "sqlite",
        "db": "${FAQBOT_RASA_TRACKER_DB}",
    }
    assert document["lock_store"]["url"] == "127.0.0.1" and document["lock_store"]["port"] == 6379
