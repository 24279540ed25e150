"""Actions are tested by calling ``run`` with a real rasa-sdk Tracker and CollectingDispatcher
over the real Runtime (demo tenants, real encoder and indexes)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker


def make_tracker(
    text: str = "",
    intent: str = "ask_faq",
    tenant: str | None = "seohae-mudfest",
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    language: str | None = None,
) -> Tracker:
    """A tracker whose latest user message came through the gateway with ``{"tenant": tenant}``
    (and ``"language"``, the visitor's, when given)."""
    metadata: dict[str, Any] = {"tenant": tenant} if tenant else {}
    if language:
        metadata["language"] = language
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "intent_ranking": [{"name": intent, "confidence": 1.0}],
        "entities": entities or [],
        "metadata": metadata,
    }
    events = [{"event": "user", "text": text, "parse_data": latest, "metadata": metadata}]
    return Tracker("visitor-1", dict(slots or {}), latest, events, False, None, {}, "action_listen")
