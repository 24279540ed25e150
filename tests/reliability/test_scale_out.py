"""Scale-out on the real engines: two app replicas and one Rasa server on Postgres + Redis.

Trackers live in Postgres (Rasa's SQL tracker store), locks, chat sessions and "index published"
notifications in Redis — so a publish on replica A is served by replica B at once, and one
conversation continues across both replicas. The replicas run under uvicorn in this process (to
share the loaded encoder on a 2-core machine) but share nothing except the two servers.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import redis
import yaml

from bot.chat import payloads
from bot.chat.redis_sessions import RedisSessionStore
from bot.cluster.notify import RedisNotifier
from bot.cluster.rate_limit import RedisRateLimiter
from bot.dialogue.endpoints import endpoints_file
from bot.dialogue.model import RasaProject
from bot.dialogue.processes import RasaServer
from bot.runtime import Runtime
from bot.settings import ChatLimits, Settings
from retrieval import Encoder
from tests.dialogue.stack import ROOT, AppServer, chat, free_port, rasa_actions
from tests.dialogue.test_conversations import AMBIGUOUS, LANTERN, MUD, OUT_OF_SCOPE
from tests.reliability.conftest import emptied_redis, fresh_database
from tests.reliability.test_replicas import ADMIN, NEW, TOKEN, faq_csv
from tests.security.test_personal_data import MESSAGES, SECRETS

# Needs both the services (Postgres, Redis) and the real Rasa server.
pytestmark = [pytest.mark.services, pytest.mark.rasa]


@dataclass
class Cluster:
    a: AppServer
    b: AppServer
    rasa: RasaServer
    http: httpx.Client
    database_url: str
    redis_url: str

    def chat(self, replica: AppServer, tenant: str, message: str, session: str | None) -> dict[str, Any]:
        return chat(self.http, replica.url, tenant, message, session)

    def rasa_actions(self, tenant: str, session: str) -> list[str]:
        return rasa_actions(self.http, self.rasa.url, tenant, session)


@pytest.fixture(scope="module")
def cluster(
    services_available: None,
    rasa_project: RasaProject,
    rasa_model: Path,
    demo_data: Path,
    encoder: Encoder,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Cluster]:
    root = tmp_path_factory.mktemp("scale-out")
    shutil.copytree(demo_data, root / "data")
    rasa_port = free_port()
    with fresh_database() as database_url, emptied_redis() as redis_url:
        replicas = []
        for name in ("a", "b"):
            settings = Settings(
                data_dir=root / "data",
                state_dir=root / name,
                demo_source=ROOT.parent / "shared" / "faq",
                port=free_port(),
                database_url=database_url,
                redis_url=redis_url,
                rasa_url=f"http://127.0.0.1:{rasa_port}",
                rasa_timeout=10.0,
                admin_token=TOKEN,
                chat_limits=ChatLimits(enabled=False),
                # Far beyond the test's 10 s: a publish must reach B by notification, not by polling.
                live_poll_interval=300.0,
            )
            replicas.append(AppServer(settings, Runtime(settings, encoder=encoder)))
        a, b = replicas
        # One Rasa for both replicas, its actions served by A; its endpoints file from A's settings.
        endpoints = endpoints_file(a.app.state.settings)
        log_file = root / "rasa-server.log"
        rasa = RasaServer(
            rasa_project,
            rasa_model,
            f"{a.url}/webhook",
            root / "unused-tracker.db",
            rasa_port,
            log_file,
            endpoints,
        )
        a.start()
        b.start()
        rasa.start()
        try:
            if not rasa.wait_healthy(240):
                raise RuntimeError(f"Rasa did not become healthy:\n{log_file.read_text()[-3000:]}")
            with httpx.Client(timeout=30) as http:
                yield Cluster(a, b, rasa, http, database_url, redis_url)
        finally:
            a.stop()
            b.stop()
            rasa.stop()


def test_replicas_use_the_shared_stores(cluster: Cluster) -> None:
    for replica in (cluster.a, cluster.b):
        state = replica.app.state
        assert isinstance(state.chat_sessions, RedisSessionStore)
        assert isinstance(state.rate_limiter, RedisRateLimiter)
        assert isinstance(state.operators.notifier, RedisNotifier)
    endpoints = yaml.safe_load(Path(cluster.rasa.endpoints).read_text())
    assert endpoints["tracker_store"]["dialect"] == "postgresql"
    assert endpoints["lock_store"]["type"] == "redis"


def test_one_conversation_continues_across_replicas(cluster: Cluster) -> None:
    a, b = cluster.a, cluster.b
    runtime = a.app.state.runtime
    query = next((q for q in AMBIGUOUS if runtime.search(MUD, q).decision == "suggest"), None)
    assert query is not None, "no probe question is ambiguous for the retrieval engine any more"
    expected = [h.faq_id for h in runtime.search(MUD, query).hits[:3]]

    reply = cluster.chat(a, MUD, query, None)
    session = reply["session_id"]
    assert reply["decision"] == "suggest"
    buttons = reply["messages"][0]["buttons"]
    assert [button["payload"] for button in buttons] == [payloads.choose_faq(f) for f in expected]
    # Typing the button's title on B selects it: B reads the offered buttons from Redis, and Rasa
    # (one tracker in Postgres) continues the dialogue A started.
    reply = cluster.chat(b, MUD, buttons[1]["title"], session)
    assert (reply["decision"], reply["faq_id"]) == ("answer", expected[1])
    assert cluster.rasa_actions(MUD, session) == ["action_answer_faq", "action_choose_faq"]

    tenant = runtime.tenant(LANTERN)
    reply = cluster.chat(a, LANTERN, OUT_OF_SCOPE[0], None)
    session = reply["session_id"]
    assert reply["decision"] == "fallback" and len(reply["messages"]) == 1
    reply = cluster.chat(b, LANTERN, OUT_OF_SCOPE[1], session)
    assert reply["decision"] == "fallback"
    assert all(c.name in reply["messages"][-1]["text"] for c in tenant.contacts)  # the handoff
    assert a.app.state.dialogue.degradations == {} and b.app.state.dialogue.degradations == {}


def test_publish_on_a_is_served_by_b_within_10_s(cluster: Cluster) -> None:
    a, b = cluster.a, cluster.b
    tenant = "seohae-mudfest"
    assert b.app.state.operators.notifier.wait_listening(10)
    live = a.app.state.runtime.live_entries(tenant)
    upload = cluster.http.post(
        f"{a.url}/api/v1/admin/tenants/{tenant}/faq/drafts",
        headers=ADMIN,
        files={"file": ("faq.csv", faq_csv([*live, NEW]))},
    )
    assert upload.status_code == 201, upload.text
    version = upload.json()["version"]
    publish = cluster.http.post(
        f"{a.url}/api/v1/admin/tenants/{tenant}/faq/versions/{version}/publish", headers=ADMIN
    )
    assert publish.status_code == 202, publish.text
    deadline = time.monotonic() + 120
    while a.app.state.runtime.serving_version(tenant) != version:
        assert time.monotonic() < deadline, "replica A never served the published version"
        time.sleep(0.1)
    published = time.monotonic()
    while b.app.state.runtime.serving_version(tenant) != version:
        assert time.monotonic() - published < 10, "replica B did not load the published version in 10 s"
        time.sleep(0.1)
    # B's own index answers it (Rasa's actions run on A, so B's index is checked directly too).
    best = b.app.state.runtime.search(tenant, NEW.question).best
    assert best is not None and best.faq_id == NEW.id
    reply = cluster.chat(b, tenant, NEW.question, None)
    assert (reply["decision"], reply["faq_id"]) == ("answer", NEW.id)
    assert (
        f'faqbot_index_version{{tenant="{tenant}"}} {float(version)}'
        in cluster.http.get(f"{b.url}/metrics").text
    )


def stored_text(database_url: str, redis_url: str) -> str:
    """Every row of every table of the database (Rasa's trackers included) and every Redis value."""
    dumped = []
    with psycopg.connect(database_url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchall()
        for (table,) in tables:
            dumped += [row[0] for row in conn.execute(f'SELECT t::text FROM "{table}" t')]
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter():
        if client.type(key) == b"string":
            dumped.append(client.get(key).decode("utf-8", "replace"))
        elif client.type(key) == b"hash":
            dumped += [v.decode("utf-8", "replace") for v in client.hgetall(key).values()]
    client.close()
    return "\n".join(dumped)


def test_personal_data_reaches_neither_rasa_trackers_nor_other_stores(cluster: Cluster) -> None:
    session = None
    for number, text in enumerate(MESSAGES):
        replica = (cluster.a, cluster.b)[number % 2]
        session = cluster.chat(replica, "gaeram-univ", text, session)["session_id"]
    events = cluster.http.get(f"{cluster.rasa.url}/conversations/gaeram-univ:{session}/tracker").json()
    said = [e["text"] for e in events["events"] if e["event"] == "user"]
    assert len(said) == len(MESSAGES) and "[전화번호]" in said[1]  # Rasa got every turn, masked
    with psycopg.connect(cluster.database_url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        sender = f"gaeram-univ:{session}"
        rows = conn.execute("SELECT count(*) FROM events WHERE sender_id = %s", (sender,)).fetchone()
    assert rows is not None and rows[0] > 0, "Rasa's tracker is not in Postgres"
    stored = stored_text(cluster.database_url, cluster.redis_url)
    assert "[주민번호]" in stored and "[전화번호]" in stored  # the dump covers the trackers
    for kind, secret in SECRETS.items():
        assert secret not in stored, f"{kind} stored in clear text"
