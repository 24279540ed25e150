"""Per-session state of the direct-retrieval path and the interface of the stores that keep it.

The backends (``bot.chat.memory_sessions``, ``bot.chat.redis_sessions``) import this module, never
each other; ``bot.chat.session_stores`` picks one for the deployment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass
class SessionState:
    """What the direct path remembers between turns of one visitor."""

    fallbacks: int = 0
    last_faq_id: str | None = None
    # The tenant a portal visitor chose (/choose_tenant); None until they choose.
    chosen_tenant: str | None = None
    # A portal visitor's question waiting for them to choose a tenant (bot/portals).
    portal_question: str | None = None
    # Titles of the buttons last offered → their payloads, so typing (or a Kakao quick reply
    # sending) a button's title selects it exactly like a click.
    offered: dict[str, str] = field(default_factory=dict)
    # The visitor's language (ko/en/ja/zh): kept when a message is too short to tell ("ok", "👍").
    language: str | None = None


class SessionStore(Protocol):
    def load(self, key: str) -> SessionState: ...

    def save(self, key: str, state: SessionState) -> None: ...
