"""The chat tests' app fixtures (one index build per test session)."""

from tests.chat.conftest import app_runtime, client

__all__ = ["app_runtime", "client"]
