"""GET /api/v1/tenants/{id}: what the widget needs to greet visitors before the first message."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from bot.api.chat import TenantId
from bot.chat.models import Message
from bot.chat.render import greeting_messages
from bot.i18n.detect import Language, language_of
from bot.portals import Portal
from bot.portals import render as portal_render

router = APIRouter(tags=["tenants"])


class PublicTenant(BaseModel):
    id: str = Field(examples=["seohae-mudfest"])
    display_name: str = Field(examples=["2026 서해 머드축제"])
    short_name: str = Field(examples=["서해 머드축제"])
    kind: str = Field(examples=["festival"])
    greeting: str = Field(examples=["안녕하세요! 2026 서해 머드축제 안내 챗봇입니다."])
    theme_color: str = Field(examples=["#8a5a2b"])
    top_categories: list[str] = Field(examples=[["입장권", "체험", "교통"]])
    greeting_messages: list[Message] = Field(description="인사말과 분야 버튼 (위젯이 그대로 표시)")
    language: str = Field(default="ko", description="greeting_messages의 언어 (ISO 639-1)")


@router.get("/api/v1/tenants/{tenant_id}", response_model=PublicTenant, summary="위젯 공개 설정")
async def public_tenant(
    tenant_id: TenantId,
    request: Request,
    lang: Annotated[str | None, Query(max_length=35, description="페이지·브라우저 언어 (예: en-US)")] = None,
) -> PublicTenant:
    """챗봇 이름, 인사말, 테마 색, 주요 분야 — 위젯이 첫 화면을 그리는 데 필요한 공개 정보만.

    `lang`이 en/ja/zh이면 인사말과 분야 버튼을 그 언어로 돌려줍니다."""
    language = language_of(lang) or "ko"
    portal_chat = request.app.state.portal_chat
    if tenant_id in portal_chat:
        return public_portal(portal_chat.router.portal(tenant_id), language)
    tenant = request.app.state.runtime.tenant(tenant_id)
    return PublicTenant(
        id=tenant.id,
        display_name=tenant.display_name,
        short_name=tenant.short_name,
        kind=tenant.kind,
        greeting=tenant.greeting,
        theme_color=tenant.theme.color,
        top_categories=list(tenant.top_categories),
        greeting_messages=greeting_messages(tenant, language=language),
        language=language,
    )


def public_portal(portal: Portal, language: Language = "ko") -> PublicTenant:
    """A portal's widget settings: its tenants are the category buttons (each picks that tenant)."""
    settings = portal.settings
    name = portal_render.portal_name(portal, language)
    return PublicTenant(
        id=portal.id,
        display_name=name,
        short_name=name,
        kind="portal",
        greeting=settings.greeting,
        theme_color=settings.theme.color,
        top_categories=[t.short_name for t in portal.tenants],
        greeting_messages=portal_render.greeting_messages(portal, language),
        language=language,
    )
