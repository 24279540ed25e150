"""The operator API for a tenant's own synonyms (versioned; each save is live at once)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field, StringConstraints
from starlette.concurrency import run_in_threadpool

from bot.api.auth import TenantDep
from bot.operators import OperatorServices, SynonymEditor
from bot.operators.synonyms import MAX_TERMS, MAX_WORD
from bot.runtime import Runtime
from bot.store import SynonymVersion

router = APIRouter(prefix="/api/v1/admin", tags=["operators"])
Word = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_WORD)]


class SynonymsBody(BaseModel):
    terms: dict[Word, list[Word]] = Field(
        max_length=MAX_TERMS,
        description="표준어(FAQ에 쓰인 말) → 방문객이 대신 쓰는 말들",
        examples=[{"머드풀": ["머드탕", "머드 풀"], "갯벌": ["뻘"]}],
    )


class SynonymRollback(BaseModel):
    version: int = Field(ge=1)


def _editor(request: Request) -> SynonymEditor:
    services: OperatorServices = request.app.state.operators
    return services.synonyms


def _body(version: SynonymVersion) -> dict[str, Any]:
    return {**version.summary(), "terms": version.terms}


@router.get("/tenants/{tenant_id}/synonyms")
async def get_synonyms(request: Request, access: TenantDep) -> dict[str, Any]:
    """The live synonyms and every earlier version (newest first)."""
    runtime: Runtime = request.app.state.runtime
    live = await run_in_threadpool(runtime.live_synonyms, access.tenant)
    versions = await run_in_threadpool(runtime.store.synonyms.list, access.tenant)
    return {**_body(live), "versions": [v.summary() for v in versions]}


@router.put("/tenants/{tenant_id}/synonyms", status_code=201)
async def save_synonyms(request: Request, access: TenantDep, body: SynonymsBody) -> dict[str, Any]:
    """Replace the synonyms with a new version, live at once (no index rebuild)."""
    version = await run_in_threadpool(
        _editor(request).save, access.tenant, body.terms, "console", access.actor
    )
    return _body(version)


@router.post("/tenants/{tenant_id}/synonyms/diff")
async def diff_synonyms(request: Request, access: TenantDep, body: SynonymsBody) -> dict[str, Any]:
    """What a save of ``terms`` would change against the live version (nothing is stored): the
    console shows it before saving."""
    diff = await run_in_threadpool(_editor(request).preview, access.tenant, body.terms)
    return {"diff": diff}


@router.post("/tenants/{tenant_id}/synonyms/rollback")
async def rollback_synonyms(request: Request, access: TenantDep, body: SynonymRollback) -> dict[str, Any]:
    version = await run_in_threadpool(_editor(request).rollback, access.tenant, body.version, access.actor)
    return _body(version)
