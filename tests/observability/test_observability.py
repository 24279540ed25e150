"""/metrics, the request id and JSON logs, against the real app (real runtime, real encoder)."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from bot.app import create_app
from bot.observability import JsonFormatter, bind_request_id, current_request_id
from bot.observability.logs import install_request_id_factory
from bot.runtime import Runtime
from bot.settings import Settings
from nlu.korean import content_morphemes
from retrieval import FaqEntry, FaqIndex

TENANT = "seohae-mudfest"


@pytest.fixture
def client(settings: Settings, runtime: Runtime) -> TestClient:
    # No lifespan: these tests need no full index build (a tiny real index is swapped in below).
    return TestClient(create_app(settings, runtime), raise_server_exceptions=False)


def sample(metrics_text: str, name: str, **labels: str) -> float | None:
    """The value of one sample line of the exposition, or None when absent."""
    for line in metrics_text.splitlines():
        parsed = re.fullmatch(r"(\w+)\{(.*)\} (\S+)", line)
        if not parsed or parsed[1] != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', parsed[2]))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(parsed[3])
    return None


def test_requests_are_counted_by_route_template_and_tenant(client: TestClient) -> None:
    assert client.get("/healthz").status_code == 200
    client.get("/healthz")
    client.get("/no/such/path/../x")
    text = client.get("/metrics").text
    assert sample(text, "faqbot_http_requests_total", endpoint="/healthz", status="200", tenant="-") == 2
    assert sample(text, "faqbot_http_request_duration_seconds_count", endpoint="/healthz") == 2
    # Unmatched paths share one label: a scanner cannot mint a time series per URL.
    assert sample(text, "faqbot_http_requests_total", endpoint="other", status="404") == 1
    assert "/no/such/path" not in text


def test_metrics_content_type_is_prometheus(client: TestClient) -> None:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")


def test_decisions_degradations_and_publish_durations(client: TestClient) -> None:
    metrics = client.app.state.metrics  # type: ignore[attr-defined]
    metrics.decision(TENANT, "answer")
    metrics.decision(TENANT, "answer")
    metrics.decision(TENANT, "fallback")
    metrics.decision("../etc/passwd", "answer")
    metrics.rasa_degraded(TENANT, "timeout")
    with metrics.publish_timer(TENANT):
        pass
    with pytest.raises(RuntimeError), metrics.publish_timer(TENANT):
        raise RuntimeError("build failed")
    text = client.get("/metrics").text
    assert sample(text, "faqbot_decisions_total", tenant=TENANT, decision="answer") == 2
    assert sample(text, "faqbot_decisions_total", tenant=TENANT, decision="fallback") == 1
    # Tenant ids that do not exist never become label values.
    assert sample(text, "faqbot_decisions_total", tenant="unknown", decision="answer") == 1
    assert "passwd" not in text
    assert sample(text, "faqbot_rasa_degradations_total", tenant=TENANT, reason="timeout") == 1
    assert sample(text, "faqbot_publish_duration_seconds_count", tenant=TENANT, outcome="ok") == 1
    assert sample(text, "faqbot_publish_duration_seconds_count", tenant=TENANT, outcome="failed") == 1


def test_index_version_per_tenant_follows_swaps(client: TestClient, runtime: Runtime) -> None:
    assert sample(client.get("/metrics").text, "faqbot_index_version_info", tenant=TENANT) is None
    entries = [FaqEntry("parking", "교통", "주차장 어디예요?", "축제장 북문 주차장을 이용하세요.")]
    first = FaqIndex(entries, runtime.encoder, content_morphemes, runtime.settings.retrieval).build()
    runtime.install(TENANT, 1, first)
    text = client.get("/metrics").text
    assert sample(text, "faqbot_index_version", tenant=TENANT) == 1
    assert sample(text, "faqbot_index_version_info", tenant=TENANT, faq_hash=first.faq_hash[:12]) == 1
    assert sample(text, "faqbot_index_entries", tenant=TENANT) == 1
    entries.append(FaqEntry("toilet", "편의", "화장실 어디 있어요?", "행사장 입구 옆에 있습니다."))
    second = FaqIndex(entries, runtime.encoder, content_morphemes, runtime.settings.retrieval).build()
    runtime.install(TENANT, 2, second)
    text = client.get("/metrics").text
    assert sample(text, "faqbot_index_version", tenant=TENANT) == 2
    assert (
        sample(text, "faqbot_index_version_info", tenant=TENANT, version="2", faq_hash=second.faq_hash[:12])
        == 1
    )
    assert sample(text, "faqbot_index_version_info", tenant=TENANT, faq_hash=first.faq_hash[:12]) is None
    assert sample(text, "faqbot_index_entries", tenant=TENANT) == 2


def test_request_id_is_echoed_or_issued(client: TestClient) -> None:
    echoed = client.get("/healthz", headers={"X-Request-ID": "turn-42.a:b"})
    assert echoed.headers["X-Request-ID"] == "turn-42.a:b"
    issued = {client.get("/healthz").headers["X-Request-ID"] for _ in range(3)}
    assert len(issued) == 3 and all(re.fullmatch(r"[0-9a-f]{32}", rid) for rid in issued)


@pytest.mark.parametrize("hostile", ["x" * 129, 'a" "level":"CRITICAL', "a\tb", "아이디"])
def test_malformed_request_ids_are_replaced(client: TestClient, hostile: str) -> None:
    rid = client.get("/healthz", headers={"X-Request-ID": hostile.encode("utf-8")}).headers["X-Request-ID"]
    assert rid != hostile and re.fullmatch(r"[0-9a-f]{32}", rid)


def test_request_id_on_every_log_line_of_the_request(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    @client.app.get("/_boom")  # type: ignore[attr-defined]
    async def boom() -> None:
        logging.getLogger("faqbot.test").warning("about to fail")
        raise RuntimeError("boom")

    with caplog.at_level(logging.INFO):
        response = client.get("/_boom", headers={"X-Request-ID": "req-boom-1"})
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal"
    ours = [r for r in caplog.records if getattr(r, "request_id", None) == "req-boom-1"]
    messages = {r.getMessage() for r in ours}
    assert "about to fail" in messages
    assert "unhandled error" in messages  # logged by the error handler outside the middleware
    access = [r for r in ours if r.name == "faqbot.access"]
    assert len(access) == 1 and access[0].status == 500  # type: ignore[attr-defined]
    text = client.get("/metrics").text
    assert sample(text, "faqbot_http_requests_total", endpoint="/_boom", status="500") == 1


def test_json_formatter_writes_one_parseable_line_with_request_id_and_extras() -> None:
    install_request_id_factory()
    with bind_request_id("rid-7") as rid:
        assert current_request_id() == rid == "rid-7"
        record = logging.getLogger("faqbot.test").makeRecord(
            "faqbot.test",
            logging.WARNING,
            __file__,
            1,
            "질문 %s\n두 번째 줄",
            ("처리",),
            None,
            extra={"tenant": TENANT, "ms": 3.5},
        )
    assert current_request_id() is None
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "질문 처리\n두 번째 줄"
    assert entry["request_id"] == "rid-7"
    assert entry["tenant"] == TENANT and entry["ms"] == 3.5
    assert entry["level"] == "WARNING" and entry["logger"] == "faqbot.test"


def test_tenant_label_comes_from_the_path_and_only_for_known_tenants(client: TestClient) -> None:
    @client.app.get("/_probe/{tenant_id}")  # type: ignore[attr-defined]
    async def probe(tenant_id: str) -> dict[str, str]:
        return {"tenant": tenant_id}

    client.get(f"/_probe/{TENANT}")
    client.get("/_probe/%2e%2e")
    client.get("/_probe/made-up-tenant-1")
    text = client.get("/metrics").text
    assert sample(text, "faqbot_http_requests_total", endpoint="/_probe/{tenant_id}", tenant=TENANT) == 1
    assert sample(text, "faqbot_http_requests_total", endpoint="/_probe/{tenant_id}", tenant="unknown") == 2
    assert "made-up" not in text and 'tenant=".."' not in text


def test_chat_turns_are_counted_by_decision_and_tenant(client: TestClient) -> None:
    decisions = []
    for text in ("안녕하세요", "오늘 서울 주식 시장 전망 알려줘", "안녕하세요"):
        response = client.post("/api/v1/chat", json={"tenant": TENANT, "session_id": None, "message": text})
        assert response.status_code == 200, response.text
        decisions.append(response.json()["decision"])
    text = client.get("/metrics").text
    for decision in set(decisions):
        counted = sample(text, "faqbot_decisions_total", tenant=TENANT, decision=decision)
        assert counted == decisions.count(decision)
    assert (
        sample(text, "faqbot_http_requests_total", endpoint="/api/v1/chat", status="200", tenant=TENANT) == 3
    )


def test_configured_process_writes_json_lines_with_the_request_id(settings: Settings) -> None:
    """A whole process as the entry point configures it: every stderr line is JSON."""
    script = (
        "import sys\n"
        "from fastapi.testclient import TestClient\n"
        "from bot.app import create_app\n"
        "from bot.observability import configure_logging\n"
        "from bot.settings import Settings\n"
        "configure_logging('INFO', json_format=True)\n"
        f"settings = Settings(data_dir={str(settings.data_dir)!r}, state_dir={str(settings.state_dir)!r})\n"
        "app = create_app(settings)\n"
        "TestClient(app).get('/healthz', headers={'X-Request-ID': 'json-line-1'})\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.strip()]
    access = [e for e in lines if e["logger"] == "faqbot.access"]
    assert access and access[0]["request_id"] == "json-line-1" and access[0]["endpoint"] == "/healthz"
    assert access[0]["status"] == 200 and access[0]["tenant"] == "-"
