"""Stand-ins for edges that a unit test must observe rather than run."""

from __future__ import annotations

from typing import Any


class RecordingDialogue:
    """Stands in for Rasa's REST channel (an edge): keeps what the gateway sends, answers nothing,
    so the gateway falls back to direct retrieval as it does when Rasa is down."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def turn(self, tenant_id: str, session_id: str, text: str, metadata: dict[str, Any]) -> None:
        self.sent.append(text)
