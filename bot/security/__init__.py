"""Security layers of the gateway that sit outside the routes: operator-token brute-force throttle,
upload size limit, and formula-safe CSV export."""

from __future__ import annotations

from fastapi import FastAPI

from bot.security.auth_throttle import AuthFailureThrottle, FailureWindow
from bot.security.csv_export import neutralise_cell, to_csv
from bot.security.upload_limit import UploadSizeLimit
from bot.settings import Settings

__all__ = ["install_security", "neutralise_cell", "to_csv"]

ADMIN_API = "/api/v1/admin/"


def install_security(app: FastAPI, settings: Settings) -> None:
    """Throttle failed operator authentications and refuse oversized uploads on the admin API."""
    app.add_middleware(UploadSizeLimit, max_bytes=settings.max_upload_bytes, path_prefix=ADMIN_API)
    failures = FailureWindow(settings.auth_failure_limit, settings.auth_failure_window)
    app.state.auth_failures = failures
    app.add_middleware(AuthFailureThrottle, failures=failures, path_prefix=ADMIN_API)
