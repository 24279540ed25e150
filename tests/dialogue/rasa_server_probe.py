"""Run by test_rasa_server.py with .venv-rasa's Python: applies rasa_server's fixes, exercises Rasa's
own classes with them and prints what it saw as one JSON object (this file imports Rasa, so the
app's test environment cannot import it)."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import rasa_server

rasa_server.tune()

from aiohttp import web  # noqa: E402
from rasa.core.actions.action import RemoteAction  # noqa: E402
from rasa.core.tracker_store import SQLTrackerStore  # noqa: E402
from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet, UserUttered  # noqa: E402
from rasa.shared.core.trackers import DialogueStateTracker  # noqa: E402
from rasa.utils.endpoints import EndpointConfig  # noqa: E402

VALID = {"events": [{"event": "slot", "name": "tenant", "value": "x"}], "responses": [{"text": "안녕"}]}
INVALID = {"events": [{"event": "slot"}], "responses": []}


def validation() -> dict[str, Any]:
    action = RemoteAction("action_answer_faq", None)
    try:
        action._validate_action_result(INVALID)
        invalid_error = None
    except Exception as exc:
        invalid_error = f"{type(exc).__name__}: {exc}"
    return {"valid_accepted": action._validate_action_result(VALID), "invalid_error": invalid_error}


def event_types() -> dict[str, Any]:
    try:
        Event.resolve_by_type("no_such_event")
        unknown = "resolved"
    except ValueError:
        unknown = "ValueError"
    twice = [Event.resolve_by_type(name) for name in ("slot", "user", "slot", "user")]
    return {
        "resolved": twice == [SlotSet, UserUttered, SlotSet, UserUttered],
        "unknown": unknown,
        "default": Event.resolve_by_type("no_such_event", SlotSet) is SlotSet,
    }


def write_and_crash(db: str) -> None:
    """Child process: save a tracker, then die without closing anything (like SIGKILL)."""
    tracker = DialogueStateTracker("t:s", [])
    tracker.update(UserUttered("화장실 어디예요?"))
    tracker.update(SlotSet("last_faq", "restroom"))
    asyncio.run(SQLTrackerStore(db=db).save(tracker))
    os._exit(0)


def tracker_store(db: Path) -> dict[str, Any]:
    subprocess.run([sys.executable, __file__, "write-and-crash", str(db)], check=True)
    store = SQLTrackerStore(Domain.load("domain.yml"), db=str(db))
    tracker = asyncio.run(store.retrieve("t:s"))
    return {
        "pool": type(store.engine.pool).__name__,
        "journal_mode": sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0],
        "slot_after_crash": tracker.get_slot("last_faq") if tracker else None,
        "two_sessions": asyncio.run(two_sessions(store)),
    }


async def two_sessions(store: SQLTrackerStore) -> dict[str, Any]:
    """Save a conversation in three steps across two sessions; read it back both ways."""
    tracker = DialogueStateTracker("t:two", store.domain.slots)
    steps = [
        [ActionExecuted("action_session_start", timestamp=1.0), SessionStarted(timestamp=1.0)],
        [UserUttered("주차장 있어요?", timestamp=2.0), ActionExecuted("action_answer_faq", timestamp=3.0),
         SlotSet("last_faq", "parking", timestamp=3.0)],
        [ActionExecuted("action_session_start", timestamp=10.0), SessionStarted(timestamp=10.0),
         UserUttered("고마워요", timestamp=11.0)],
    ]  # fmt: skip
    for events in steps:
        for event in events:
            tracker.update(event)
        await store.save(tracker)
    latest, full = await store.retrieve("t:two"), await store.retrieve_full_tracker("t:two")
    # Rasa's own ORM query, unpatched, as the reference.
    with store.session_scope() as session:
        rasa_latest = [json.loads(e.data) for e in store._event_query(session, "t:two", False)]
        rasa_all = [json.loads(e.data) for e in store._event_query(session, "t:two", True)]
    return {
        "rows": len(rasa_all),
        "events": len(tracker.events),
        "latest_as_rasa": latest is not None and [e.as_dict() for e in latest.events] == rasa_latest,
        "latest_events": len(rasa_latest),
        "full_as_rasa": full is not None and [e.as_dict() for e in full.events] == rasa_all,
        "unknown": await store.retrieve("t:nobody"),
    }


async def endpoint_connections() -> dict[str, Any]:
    """Three calls through Rasa's EndpointConfig.request to a loopback server: client ports seen."""
    ports: list[int] = []

    async def handle(request: web.Request) -> web.Response:
        ports.append(request.transport.get_extra_info("peername")[1])
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/webhook", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
    replies = [await endpoint.request(json={"n": n}) for n in range(2)]
    # Idle longer than the keep-alive: the client must open a fresh connection itself.
    await asyncio.sleep(rasa_server.KEEPALIVE_SECONDS + 1)
    replies.append(await endpoint.request(json={"n": 2}))
    await runner.cleanup()
    return {"replies": replies, "ports": ports}


def main(workdir: Path) -> None:
    report = {
        "validation": validation(),
        "event_types": event_types(),
        "tracker_store": tracker_store(workdir / "tracker.db"),
        "endpoint": asyncio.run(endpoint_connections()),
    }
    print(json.dumps(report))


if __name__ == "__main__":
    if sys.argv[1] == "write-and-crash":
        write_and_crash(sys.argv[2])
    else:
        main(Path(sys.argv[1]))
