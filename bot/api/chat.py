"""POST /api/v1/chat: one visitor message in, the bot's reply out (the widget's only write call)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Request
from pydantic import BaseModel, Field

from bot.api.limits import OriginNotAllowed, check_rate, origin_allowed, own_origin
from bot.chat.intake import MAX_MESSAGE_CHARS
from bot.chat.models import ChatReply
from bot.chat.service import ChatService
from bot.tenancy.settings import TENANT_ID

router = APIRouter(tags=["chat"])

SESSION_ID = r"^[A-Za-z0-9_.:-]{1,128}$"


class ChatRequest(BaseModel):
    # A malformed id is refused by pattern (422), so no odd text is ever echoed in a 404 message.
    tenant: str = Field(pattern=TENANT_ID.pattern, description="챗봇(테넌트) id", examples=["seohae-mudfest"])
    session_id: str | None = Field(
        default=None, pattern=SESSION_ID, description="없으면 새 세션을 엽니다", examples=[None]
    )
    message: str = Field(
        description=f"방문자 메시지 또는 버튼 payload (1–{MAX_MESSAGE_CHARS:,}자)",
        examples=["셔틀버스 타는 곳이 어디예요?"],
    )
    language: str | None = Field(
        default=None,
        max_length=35,
        description="페이지 또는 브라우저 언어 (BCP 47, 예: en-US): 메시지만으로 언어를 알 수 없을 때 사용",
        examples=[None],
    )


_EXAMPLES = {
    "question": {
        "summary": "질문하기",
        "value": {"tenant": "seohae-mudfest", "session_id": None, "message": "셔틀버스 타는 곳이 어디예요?"},
    },
    "button": {
        "summary": "추천 질문 버튼 선택",
        "value": {
            "tenant": "gaeram-univ",
            "session_id": "3f1c2a9e8b7d4c6e9a0b1c2d3e4f5a6b",
            "message": '/choose_faq{"faq_id":"course-registration-period"}',
        },
    },
    "feedback": {
        "summary": "도움이 되었나요? 👍",
        "value": {
            "tenant": "namgang-lantern",
            "session_id": "3f1c2a9e8b7d4c6e9a0b1c2d3e4f5a6b",
            "message": '/feedback{"faq_id":"festival-dates","helpful":true}',
        },
    },
}


def chat_service(request: Request) -> ChatService:
    state = request.app.state
    return ChatService(state.runtime, state.chat_sessions, state.recorder, state.dialogue, state.portal_chat)


ChatServiceDep = Annotated[ChatService, Depends(chat_service)]
TenantId = Annotated[str, Path(pattern=TENANT_ID.pattern, examples=["seohae-mudfest"])]


def check_origin(request: Request, origins: tuple[str, ...]) -> None:
    """A browser on a page the tenant (or portal) does not list may not talk as its widget."""
    origin = request.headers.get("origin")
    if origin is not None and not origin_allowed(origin, own_origin(request.scope), origins):
        raise OriginNotAllowed()


@router.post(
    "/api/v1/chat",
    response_model=ChatReply,
    summary="챗봇에게 메시지 보내기",
    responses={
        403: {"description": "허용되지 않은 사이트(Origin)"},
        404: {"description": "알 수 없는 챗봇(테넌트)"},
        413: {"description": "요청 본문이 16KB를 넘음"},
        422: {"description": "빈 메시지 또는 1,000자 초과"},
        429: {"description": "요청이 너무 많음 (Retry-After 헤더 참고)"},
    },
)
async def chat(
    request: Request,
    service: ChatServiceDep,
    body: Annotated[ChatRequest, Body(openapi_examples=_EXAMPLES)],
) -> ChatReply:
    """방문자 메시지(또는 버튼의 payload)에 대한 챗봇의 답을 돌려줍니다.

    `decision`: answer(FAQ 답변), suggest(비슷한 질문 제안), fallback(답을 찾지 못함),
    dialogue(인사·피드백 등 FAQ가 아닌 대화).
    """
    state = request.app.state
    client = request.client.host if request.client else None
    session = f"{body.tenant}:{body.session_id}" if body.session_id else None
    check_rate(state.rate_limiter, state.settings.chat_limits, client, session)
    if body.tenant in state.portal_chat:
        check_origin(request, state.portal_chat.router.portal(body.tenant).settings.origins)
        return await service.handle(body.tenant, body.session_id, body.message, language_hint=body.language)
    tenant = state.runtime.tenant(body.tenant)
    check_origin(request, tenant.origins)
    return await service.handle(tenant.id, body.session_id, body.message, language_hint=body.language)
