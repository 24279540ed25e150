"""POST /kakao/{tenant}/skill: the Kakao i Open Builder skill endpoint of a tenant's KakaoTalk channel."""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field

from bot.api.chat import ChatServiceDep, TenantId
from bot.api.limits import check_rate
from bot.chat.kakao import skill_response
from bot.chat.service import ChatService
from bot.settings import ChatLimits
from bot.tenancy.settings import KakaoChannel

router = APIRouter(tags=["kakao"])
SECRET_HEADER = "X-Faqbot-Kakao-Secret"


def check_channel_secret(request: Request, channel: KakaoChannel) -> None:
    """401 unless the call carries the tenant's channel secret (header or ``?token=``), compared in
    constant time; a tenant without a secret is closed unless it is explicitly open."""
    if channel.secret is None:
        if channel.open:
            return
        raise HTTPException(401, "this tenant's Kakao channel has no secret configured")
    given = request.headers.get(SECRET_HEADER) or request.query_params.get("token") or ""
    if not hmac.compare_digest(given.encode("utf-8"), channel.secret.get_secret_value().encode("utf-8")):
        raise HTTPException(401, "wrong or missing Kakao channel secret")


class _Lenient(BaseModel):
    # Open Builder sends many more fields than faqbot reads (and adds new ones over time).
    model_config = ConfigDict(extra="ignore")


class KakaoUser(_Lenient):
    id: str = Field(min_length=1, max_length=256, description="봇 사용자 키 (세션 id로 사용)")
    type: str | None = None


class KakaoUserRequest(_Lenient):
    utterance: str = Field(description="사용자 발화", examples=["셔틀버스 타는 곳이 어디예요?"])
    user: KakaoUser
    timezone: str | None = None
    lang: str | None = None


class SkillRequest(_Lenient):
    userRequest: KakaoUserRequest
    bot: dict[str, Any] = Field(default_factory=dict)
    action: dict[str, Any] = Field(default_factory=dict)
    intent: dict[str, Any] = Field(default_factory=dict)


_EXAMPLE = {
    "intent": {"id": "65a1b2c3d4e5f60718293a4b", "name": "폴백 블록"},
    "userRequest": {
        "timezone": "Asia/Seoul",
        "utterance": "셔틀버스 타는 곳이 어디예요?",
        "lang": "ko",
        "user": {"id": "a3f5c2e8b1d94f7e8c6b5a4d3e2f1a0b", "type": "botUserKey", "properties": {}},
    },
    "bot": {"id": "65a1b2c3d4e5f60718293a00", "name": "서해 머드축제 안내"},
    "action": {"name": "faqbot", "id": "65a1b2c3d4e5f60718293a11", "params": {}, "detailParams": {}},
}


def _channel(request: Request, service: ChatService, tenant_id: str) -> KakaoChannel:
    """The Kakao settings of the tenant or portal ``tenant_id`` (UnknownTenant, a 404, for neither)."""
    portals = request.app.state.portal_chat.portals
    if tenant_id in portals:
        return portals.get(tenant_id).settings.kakao
    return service.runtime.tenant(tenant_id).kakao


@router.post("/kakao/{tenant_id}/skill", summary="카카오 i 오픈빌더 스킬")
async def kakao_skill(
    tenant_id: TenantId,
    body: Annotated[
        SkillRequest, Body(openapi_examples={"question": {"summary": "질문", "value": _EXAMPLE}})
    ],
    request: Request,
    service: ChatServiceDep,
) -> dict[str, Any]:
    """오픈빌더 스킬 요청(`userRequest.utterance`, `userRequest.user.id`)에 스킬 응답 2.0으로 답합니다.

    카카오 사용자 키가 세션 id입니다. 링크가 있는 답은 basicCard, 추천 질문과 분야는 quickReplies.
    """
    state = request.app.state
    session_id = body.userRequest.user.id
    limits: ChatLimits = state.settings.chat_limits
    # Open Builder calls from a few shared addresses: a generous per-address bucket (it also slows
    # guessing the secret), and the visitor's limit per Kakao user.
    client = request.client.host if request.client else None
    per_address = limits.model_copy(
        update={
            "client_per_minute": limits.kakao_client_per_minute,
            "client_burst": limits.kakao_client_burst,
        }
    )
    check_rate(state.rate_limiter, per_address, client, None, client_bucket="kakao-client")
    check_channel_secret(request, _channel(request, service, tenant_id))
    check_rate(state.rate_limiter, limits, None, f"{tenant_id}:{session_id}")
    utterance, lang = body.userRequest.utterance, body.userRequest.lang
    reply = await service.handle(tenant_id, session_id, utterance, channel="kakao", language_hint=lang)
    return skill_response(reply)
