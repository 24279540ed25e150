"""The session store a deployment uses: Redis when replicas share one, else this process's memory."""

from __future__ import annotations

from bot.chat.memory_sessions import MemorySessionStore
from bot.chat.redis_sessions import RedisSessionStore
from bot.chat.sessions import SessionStore


def make_session_store(redis_url: str | None) -> SessionStore:
    """Redis (shared by every replica) when the deployment has it, else this process's memory."""
    if redis_url:
        return RedisSessionStore(redis_url)
    return MemorySessionStore()
