"""The Rasa server as faqbot runs it: ``rasa run`` with fixes for a hot path that Rasa 3.6 leaves
slow. Runs in the Rasa environment (.venv-rasa), so it imports Rasa and nothing of the app.

Each fix was found with py-spy on the Rasa process during chat turns and changes no result (numbers
in bench/RESULTS.md, "Rasa path: latency and load (session 2)" and "Rasa path: CPU per turn
(session 3)"):

- Every custom-action response is checked with ``jsonschema.validate``, which first validates
  Rasa's response *schema* (~30 event types) against the JSON Schema meta-schema and builds a new
  validator: 47 ms, 45 % of the Rasa process's CPU time per chat turn. The schema is a constant,
  so it is checked once and its validator reused (0.5 ms); an invalid response still goes through
  Rasa's own check, which raises Rasa's own error.
- The SQLite tracker store opens and closes a connection for every read and write (SQLAlchemy 1.4
  pools no file-database connections) and commits in SQLite's default rollback-journal mode with a
  full fsync. It now keeps its connections in a pool (SQLAlchemy 2.0's default for SQLite files)
  and writes ahead (WAL, ``synchronous=NORMAL``): a commit is an append, and every committed turn
  survives a crash of Rasa (only a power loss can drop the last ones). Postgres is untouched.
- Each custom-action call opened a new aiohttp session, so a new TCP connection to the app, per
  action; every endpoint now keeps one session with keep-alive connections, which it drops after
  ``KEEPALIVE_SECONDS`` idle, before the app's server would (uvicorn closes them after 5 s): a
  request never goes out on a connection the server is closing.
- Loading a tracker looks up each stored event's class by scanning every Event subclass, for
  every event; the lookup is now a dictionary built on first use.
- The SQL tracker store reads and counts a conversation's events through SQLAlchemy ORM queries
  built anew for every call (a query object, its cache key, an ORM object per row), and saves
  through the ORM unit of work: about a third of the Rasa process's CPU per turn once the NLU was
  made cheap. On SQLite the same SQL now runs as fixed statements (the conversation's latest session:
  events since its last ``session_started``) and new events go in as one multi-row insert; the
  rows written and the trackers read back are the same. Postgres keeps Rasa's code.

The fixes wrap Rasa 3.6.21's methods by name and call the originals where behaviour matters; if an
upgrade renames one, the wrapping fails at start (AttributeError) and the dialogue tests fail,
rather than the fix silently doing nothing.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from typing import Any

SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")
KEEPALIVE_SECONDS = 2.0


def reuse_action_response_validator() -> None:
    """Validate action responses with one prebuilt validator instead of a new one per call."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    rasa_check = RemoteAction._validate_action_result

    def validate(self: RemoteAction, result: dict[str, Any]) -> bool:
        if validator.is_valid(result):
            return True
        return rasa_check(self, result)  # raises Rasa's ValidationError with its message

    RemoteAction._validate_action_result = validate  # type: ignore[method-assign]


def pooled_sqlite_write_ahead_log() -> None:
    """SQLite tracker stores keep pooled connections, each in WAL mode with synchronous=NORMAL."""
    import rasa.core.tracker_store as tracker_store
    from sqlalchemy import event
    from sqlalchemy.engine import Engine, make_url
    from sqlalchemy.pool import QueuePool

    rasa_kwargs = tracker_store.create_engine_kwargs

    def engine_kwargs(url: Any) -> dict[str, Any]:
        if make_url(url).get_backend_name() != "sqlite":
            return rasa_kwargs(url)
        # Rasa uses the store from its event loop's thread only; the flag just lets the pool hand
        # a connection to whichever thread asks, as SQLAlchemy 2.0 does.
        return {"poolclass": QueuePool, "connect_args": {"check_same_thread": False}}

    def on_connect(dbapi_connection: object, _record: object) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            for pragma in SQLITE_PRAGMAS:
                dbapi_connection.execute(pragma)

    tracker_store.create_engine_kwargs = engine_kwargs
    event.listen(Engine, "connect", on_connect)


class _KeptSession:
    """``async with`` yields the endpoint's long-lived session and leaves it open."""

    def __init__(self, session: Any) -> None:
        self.session = session

    async def __aenter__(self) -> Any:
        return self.session

    async def __aexit__(self, *_exc: object) -> None:
        return None


def keep_alive_endpoint_sessions() -> None:
    """EndpointConfig.request reuses one aiohttp session (and its connections) per endpoint."""
    import aiohttp
    from rasa.utils.endpoints import EndpointConfig

    rasa_session = EndpointConfig.session
    sessions: dict[int, aiohttp.ClientSession] = {}

    def session(self: EndpointConfig) -> _KeptSession:
        kept = sessions.get(id(self))
        if kept is None or kept.closed:
            # Rasa's own session (headers, auth, timeout), on a connector that lets idle
            # connections go first; created on first use, inside the server's event loop.
            fresh = rasa_session(self)
            connector = aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS)
            kept = aiohttp.ClientSession(
                headers=fresh.headers, auth=fresh.auth, timeout=fresh.timeout, connector=connector
            )
            fresh.detach()
            sessions[id(self)] = kept
        return _KeptSession(kept)

    EndpointConfig.session = session  # type: ignore[method-assign]


def indexed_event_types() -> None:
    """Event.resolve_by_type through a name → class dictionary (misses still ask Rasa)."""
    from rasa.shared.core.events import Event

    rasa_resolve = Event.resolve_by_type
    known: dict[str, type[Event]] = {}

    def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
        cls = known.get(type_name)
        if cls is None:
            cls = rasa_resolve(type_name, default)
            if cls is not None and cls is not default:
                known[type_name] = cls
        return cls

    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign,assignment]


def lean_sqlite_event_queries() -> None:
    """SQLTrackerStore on SQLite: retrieve, count and insert events with fixed SQL statements."""
    import sqlalchemy as sa
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.events import SessionStarted
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.shared.nlu.constants import INTENT_NAME_KEY

    table = SQLTrackerStore.SQLEvent.__table__
    # Rasa's SQLTrackerStore._event_query, written out: the events of the conversation's latest
    # session (from its last session_started on, or all of them if it has none), oldest first.
    latest = f"""FROM {table.name} AS e,
        (SELECT max(timestamp) AS session_start FROM {table.name}
         WHERE sender_id = :sender AND type_name = :started) AS s
        WHERE e.sender_id = :sender AND (e.timestamp >= s.session_start OR s.session_start IS NULL)"""
    latest_events = sa.text(f"SELECT e.data {latest} ORDER BY e.id")
    latest_count = sa.text(f"SELECT count(*) {latest}")
    all_events = sa.text(f"SELECT data FROM {table.name} WHERE sender_id = :sender ORDER BY id")
    insert = table.insert()
    rasa_retrieve, rasa_save = SQLTrackerStore._retrieve, SQLTrackerStore.save

    def on_sqlite(store: SQLTrackerStore) -> bool:
        return bool(store.engine.dialect.name == "sqlite")

    async def retrieve(
        self: SQLTrackerStore, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        if not on_sqlite(self):
            return await rasa_retrieve(self, sender_id, fetch_events_from_all_sessions)
        query = all_events if fetch_events_from_all_sessions else latest_events
        with self.engine.connect() as connection:
            params = {"sender": sender_id, "started": SessionStarted.type_name}
            rows = connection.execute(query, params).scalars().all()
        events = [json.loads(data) for data in rows]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    async def save(self: SQLTrackerStore, tracker: DialogueStateTracker) -> None:
        if not on_sqlite(self):
            return await rasa_save(self, tracker)
        await self.stream_events(tracker)
        with self.engine.begin() as connection:
            params = {"sender": tracker.sender_id, "started": SessionStarted.type_name}
            stored = connection.execute(latest_count, params).scalar_one()
            rows = []
            for event in itertools.islice(tracker.events, stored, None):
                data = event.as_dict()
                rows.append(
                    {
                        "sender_id": tracker.sender_id,
                        "type_name": event.type_name,
                        "timestamp": data.get("timestamp"),
                        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                        "action_name": data.get("name"),
                        "data": json.dumps(data),
                    }
                )
            if rows:
                connection.execute(insert, rows)
        return None

    SQLTrackerStore._retrieve = retrieve  # type: ignore[method-assign]
    SQLTrackerStore.save = save  # type: ignore[method-assign]


def tune() -> None:
    reuse_action_response_validator()
    pooled_sqlite_write_ahead_log()
    keep_alive_endpoint_sessions()
    indexed_event_types()
    lean_sqlite_event_queries()
