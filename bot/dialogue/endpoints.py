"""Rasa's endpoints file for the deployment's stores.

The checked-in ``endpoints.yml`` keeps trackers in a SQLite file and locks in memory: right for one
Rasa process. In scale-out mode (``FAQBOT_DATABASE_URL`` on Postgres, ``FAQBOT_REDIS_URL`` set)
every replica's Rasa must see the same conversations and must not process one conversation twice at
once, so trackers go to Postgres (Rasa's SQL tracker store) and locks to Redis (Rasa's lock store);
this module writes that file from the settings, for ``bot.dialogue.processes`` to start Rasa with.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml
from sqlalchemy.engine import make_url

from bot.settings import Settings

DEFAULT_ENDPOINTS = Path("endpoints.yml")
# Rasa's lock store accepts only an alphanumeric key prefix.
LOCK_KEY_PREFIX = "faqbot"


def tracker_store(database_url: str | None) -> dict[str, Any] | None:
    """Rasa's SQL tracker store in the app's Postgres database (table ``events``); None for SQLite."""
    if not database_url:
        return None
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        return None
    store: dict[str, Any] = {"type": "SQL", "dialect": "postgresql", "url": url.host or "127.0.0.1"}
    store["port"] = url.port or 5432
    store["db"] = url.database
    if url.username:
        store["username"] = url.username
    if url.password:
        store["password"] = str(url.password)
    return store


def lock_store(redis_url: str | None) -> dict[str, Any] | None:
    """Rasa's Redis lock store on the deployment's Redis; None without Redis."""
    if not redis_url:
        return None
    url = urlsplit(redis_url)
    store: dict[str, Any] = {"type": "redis", "url": url.hostname or "127.0.0.1", "port": url.port or 6379}
    store["db"] = int(url.path.strip("/") or 0)
    store["key_prefix"] = LOCK_KEY_PREFIX
    if url.username and url.username != "default":
        store["username"] = unquote(url.username)
    if url.password:
        store["password"] = unquote(url.password)
    return store


def scale_out_endpoints(settings: Settings) -> dict[str, Any] | None:
    """The endpoints document for shared stores, or None when the checked-in file fits."""
    trackers, locks = tracker_store(settings.database_url), lock_store(settings.redis_url)
    if trackers is None and locks is None:
        return None
    # Rasa substitutes ${...} from its environment, which bot.dialogue.processes sets.
    document: dict[str, Any] = {"action_endpoint": {"url": "${FAQBOT_ACTION_URL}"}}
    document["tracker_store"] = trackers or {
        "type": "SQL",
        "dialect": "sqlite",
        "db": "${FAQBOT_RASA_TRACKER_DB}",
    }
    if locks is not None:
        document["lock_store"] = locks
    return document


def endpoints_file(settings: Settings) -> Path:
    """The file ``rasa run --endpoints`` should read: written to the state directory in scale-out
    mode (owner-only, it may hold the database password), else the checked-in one."""
    document = scale_out_endpoints(settings)
    if document is None:
        return DEFAULT_ENDPOINTS
    path = (settings.state_dir / "rasa" / "endpoints.yml").resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write("# Written by bot/dialogue/endpoints.py from FAQBOT_DATABASE_URL / FAQBOT_REDIS_URL.\n")
        yaml.safe_dump(document, out, allow_unicode=True, sort_keys=False)
    return path
