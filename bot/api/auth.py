"""Operator authentication: ``Authorization: Bearer TOKEN`` → a Principal allowed on some tenants.

No or unknown token: 401. A valid token of another tenant: 403. The admin token from settings is
compared in constant time like the stored ones.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from bot.store import Principal

ADMIN_FROM_SETTINGS = Principal("admin", None)


def _unauthorized() -> HTTPException:
    return HTTPException(401, "authentication required", headers={"WWW-Authenticate": "Bearer"})


# Declared as a dependency so the OpenAPI document names the scheme (the /docs "Authorize" button).
BEARER = HTTPBearer(auto_error=False, description="운영자 토큰 (`faqbot token create`) — operator token")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)]


def current_principal(request: Request, credentials: Credentials) -> Principal:
    token = credentials.credentials.strip() if credentials else ""
    if not token:
        raise _unauthorized()
    configured = request.app.state.settings.admin_token
    if configured is not None and hmac.compare_digest(
        token.encode("utf-8"), configured.get_secret_value().encode("utf-8")
    ):
        return ADMIN_FROM_SETTINGS
    principal: Principal | None = request.app.state.runtime.store.tokens.verify(token)
    if principal is None:
        raise _unauthorized()
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]


@dataclass(frozen=True)
class TenantAccess:
    tenant: str
    principal: Principal

    @property
    def actor(self) -> str:
        return self.principal.actor


def tenant_access(tenant_id: str, request: Request, principal: PrincipalDep) -> TenantAccess:
    """The caller may manage ``tenant_id`` (403 otherwise; unknown tenants are 404 for admins only)."""
    if not principal.may_manage(tenant_id):
        raise HTTPException(403, "this token belongs to another tenant")
    request.app.state.runtime.tenant(tenant_id)
    return TenantAccess(tenant_id, principal)


TenantDep = Annotated[TenantAccess, Depends(tenant_access)]
