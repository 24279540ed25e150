"""Helpers shared by the security tests (imported by module name: tests/security is on sys.path)."""

from __future__ import annotations

import httpx

ADMIN_TOKEN = "security-tests-admin-token-0123456789"
ADMIN = {"authorization": f"Bearer {ADMIN_TOKEN}"}


def assert_error_shape(response: httpx.Response, status: int) -> None:
    """The one JSON error shape: {"error": {"code", "message" (Korean), "message_en"}}."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json"), response.headers
    error = response.json()["error"]
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and any("가" <= ch <= "힣" for ch in error["message"])
    assert isinstance(error["message_en"], str) and error["message_en"]
