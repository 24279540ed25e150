"""Conversation actions around the FAQ: the tenant's greeting (or a portal's tenant choice) and
the handoff to the tenant's contacts."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.base import TenantAction
from actions.reply import Reply, latest_intent, visitor_language
from bot.chat import render
from bot.tenancy import TenantSettings


class ActionGreet(TenantAction):
    """greet → the tenant's greeting with its top categories; choose_tenant → the chosen one's."""

    action_name = "action_greet"

    def choose_tenant(self, tracker: Tracker) -> TenantSettings | None:
        if latest_intent(tracker) != "choose_tenant":
            return None
        chosen = next(tracker.get_latest_entity_values("tenant"), None)
        if isinstance(chosen, str) and chosen in self.runtime.tenants:
            return self.runtime.tenant(chosen)
        # Typed choice ("머드축제 얘기할래요"): the tenant whose alias or name the text mentions.
        text = (tracker.latest_message.get("text") or "").replace(" ", "")
        for tenant in self.runtime.tenants:
            names = (tenant.short_name, tenant.display_name, *tenant.aliases)
            if any(name.replace(" ", "") in text for name in names):
                return tenant
        return None

    async def respond(self, tenant: TenantSettings, tracker: Tracker) -> Reply:
        messages = render.greeting_messages(tenant, language=visitor_language(tracker))
        return Reply("dialogue", messages, events=[SlotSet("fallbacks", 0)])


class ActionHandoff(TenantAction):
    """human_handoff (상담원 연결, 전화번호 알려줘) → every contact of the tenant."""

    action_name = "action_handoff"

    async def respond(self, tenant: TenantSettings, tracker: Tracker) -> Reply:
        messages = render.handoff_messages(tenant, visitor_language(tracker))
        return Reply("dialogue", messages, events=[SlotSet("fallbacks", 0)])
