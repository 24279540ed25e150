"""The contract between the chat service and a portal's routing, so bot/portals builds on bot/chat
and bot/chat never imports bot/portals: the service is given a ``PortalPath`` (bot.portals.chat's
``PortalChat``) and hands it itself as the ``TenantChat`` that answers the routed question."""

from __future__ import annotations

from typing import Protocol

from bot.chat.models import ChatReply
from bot.chat.sessions import SessionStore


class TenantChat(Protocol):
    sessions: SessionStore

    async def handle(
        self,
        tenant_id: str,
        session_id: str | None,
        text: str,
        channel: str = "web",
        language_hint: str | None = None,
    ) -> ChatReply: ...


class PortalPath(Protocol):
    def __contains__(self, portal_id: object) -> bool: ...

    async def handle(
        self,
        chat: TenantChat,
        portal_id: str,
        session_id: str | None,
        text: str,
        channel: str = "web",
        language_hint: str | None = None,
    ) -> ChatReply: ...
