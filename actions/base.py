"""TenantAction: a rasa-sdk Action with the app's Runtime injected and the tenant resolved."""

from __future__ import annotations

import abc
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.reply import NO_TENANT_TEXT, Reply, resolve_tenant, send, tenant_events
from bot.chat.models import Message
from bot.runtime import Runtime
from bot.tenancy import TenantSettings


class TenantAction(Action, abc.ABC):
    """Subclasses decide one turn for one tenant in ``respond``; ``run`` only wires it up."""

    action_name: str

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def name(self) -> str:
        return self.action_name

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        tenant = self.choose_tenant(tracker) or resolve_tenant(self.runtime, tracker)
        if tenant is None:
            send(dispatcher, Reply("fallback", [Message(text=NO_TENANT_TEXT)]))
            return []
        reply = await self.respond(tenant, tracker)
        send(dispatcher, reply)
        return tenant_events(tenant, tracker) + reply.events

    def choose_tenant(self, tracker: Tracker) -> TenantSettings | None:
        """A tenant this turn switches to (only the greeting of a portal choice does)."""
        return None

    @abc.abstractmethod
    async def respond(self, tenant: TenantSettings, tracker: Tracker) -> Reply: ...
