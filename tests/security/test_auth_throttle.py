"""Operator-token brute force: failed authentications are throttled per client address."""

from __future__ import annotations

from fastapi.testclient import TestClient
from security_support import ADMIN_TOKEN, assert_error_shape

from bot.app import create_app
from bot.runtime import Runtime
from bot.security.auth_throttle import FailureWindow
from bot.settings import Settings
from retrieval import Encoder

ME = "/api/v1/admin/me"


def test_repeated_wrong_tokens_get_429(settings: Settings, encoder: Encoder) -> None:
    strict = Settings(
        data_dir=settings.data_dir,
        state_dir=settings.state_dir,
        admin_token=ADMIN_TOKEN,
        auth_failure_limit=3,
    )
    app = create_app(strict, Runtime(strict, encoder=encoder))
    client = TestClient(app)
    good = {"authorization": f"Bearer {ADMIN_TOKEN}"}
    assert client.get(ME, headers=good).status_code == 200
    for attempt in range(3):
        assert client.get(ME, headers={"authorization": f"Bearer guess-{attempt}"}).status_code == 401
    blocked = client.get(ME, headers={"authorization": "Bearer guess-4"})
    assert_error_shape(blocked, 429)
    assert 1 <= int(blocked.headers["retry-after"]) <= 300
    # Once blocked, even the right token is not looked at: guessing gains nothing.
    assert client.get(ME, headers=good).status_code == 429
    # Public endpoints are not affected.
    assert client.get("/healthz").status_code == 200


def test_failure_window_slides() -> None:
    now = [1000.0]
    window = FailureWindow(limit=2, window=60, clock=lambda: now[0])
    assert window.retry_after("1.2.3.4") == 0
    window.failed("1.2.3.4")
    now[0] += 10
    window.failed("1.2.3.4")
    assert window.retry_after("1.2.3.4") == 50  # until the first failure leaves the window
    assert window.retry_after("5.6.7.8") == 0
    now[0] += 50
    assert window.retry_after("1.2.3.4") == 0


def test_failure_window_forgets_least_recent_addresses() -> None:
    window = FailureWindow(limit=1, window=60, max_keys=2)
    for address in ("a", "b", "c"):
        window.failed(address)
    assert window.retry_after("a") == 0
    assert window.retry_after("c") > 0


def throttled_app(settings: Settings, encoder: Encoder, trusted: str) -> TestClient:
    strict = Settings(
        data_dir=settings.data_dir,
        state_dir=settings.state_dir,
        admin_token=ADMIN_TOKEN,
        auth_failure_limit=10,
        forwarded_allow_ips=trusted,
    )
    return TestClient(create_app(strict, Runtime(strict, encoder=encoder)))


def from_address(address: str, token: str) -> dict[str, str]:
    return {"x-forwarded-for": address, "authorization": f"Bearer {token}"}


def test_ten_bad_tokens_from_one_forwarded_client_do_not_lock_out_another(
    settings: Settings, encoder: Encoder
) -> None:
    # The test client's own address stands for the load balancer, trusted through the setting.
    client = throttled_app(settings, encoder, trusted="testclient")
    for attempt in range(10):
        assert client.get(ME, headers=from_address("203.0.113.5", f"guess-{attempt}")).status_code == 401
    assert client.get(ME, headers=from_address("203.0.113.5", ADMIN_TOKEN)).status_code == 429
    assert client.get(ME, headers=from_address("198.51.100.7", ADMIN_TOKEN)).status_code == 200


def test_an_untrusted_peer_cannot_choose_its_address(settings: Settings, encoder: Encoder) -> None:
    """Without the balancer in forwarded_allow_ips, a new X-Forwarded-For per guess escapes nothing."""
    client = throttled_app(settings, encoder, trusted="127.0.0.1")
    for attempt in range(10):
        assert client.get(ME, headers=from_address(f"203.0.113.{attempt}", "guess")).status_code == 401
    assert client.get(ME, headers=from_address("198.51.100.7", ADMIN_TOKEN)).status_code == 429
