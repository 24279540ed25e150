"""Counts each chat turn's decision on its way to the turn store, for every channel at once
(widget, Kakao, portals, Rasa or direct): ChatService hands every turn to its recorder."""

from __future__ import annotations

from bot.chat.models import Turn, TurnRecorder
from bot.observability.metrics import Metrics


class CountingRecorder:
    def __init__(self, inner: TurnRecorder, metrics: Metrics) -> None:
        self.inner = inner
        self.metrics = metrics

    def record(self, turn: Turn) -> None:
        self.metrics.decision(turn.tenant, turn.decision)
        self.inner.record(turn)
