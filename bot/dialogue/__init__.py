"""The Rasa dialogue layer as seen from the app: the REST client, the action endpoint, the Rasa
process and its model. The app reaches Rasa only over HTTP."""

from __future__ import annotations

from fastapi import FastAPI

from actions import build_executor
from bot.dialogue import action_endpoint
from bot.dialogue.client import OwnRasa, RasaDialogue
from bot.runtime import Runtime
from bot.settings import Settings

__all__ = ["OwnRasa", "RasaDialogue", "close_dialogue", "install_dialogue"]


def install_dialogue(app: FastAPI, settings: Settings, runtime: Runtime, own_rasa: OwnRasa | None) -> None:
    """Serve the custom actions at /webhook and, when ``settings.rasa_url`` is set, talk to Rasa
    (``own_rasa``: the Rasa server ``faqbot serve`` started for this app)."""
    app.state.action_executor = build_executor(runtime)
    app.include_router(action_endpoint.router)
    app.state.dialogue = None
    if settings.rasa_url:

        def degraded(tenant_id: str, reason: str) -> None:
            metrics = getattr(app.state, "metrics", None)
            if metrics is not None:
                metrics.rasa_degraded(tenant_id, reason)

        app.state.dialogue = RasaDialogue(settings.rasa_url, settings.rasa_timeout, degraded, own_rasa)


async def close_dialogue(app: FastAPI) -> None:
    if app.state.dialogue is not None:
        await app.state.dialogue.aclose()
