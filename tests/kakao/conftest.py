"""The chat tests' app fixtures (one index build per test session)."""

from tests.chat.conftest import app_runtime, app_with_limits, client

__all__ = ["app_runtime", "app_with_limits", "client"]
