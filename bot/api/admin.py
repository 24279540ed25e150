"""The operator API under /api/v1/admin (paths are a contract other tools rely on)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from bot.api.auth import PrincipalDep, TenantDep
from bot.faqsets import FaqFileError
from bot.faqsets.parse import MAX_FILE_BYTES
from bot.operators import FaqLifecycle, OperatorServices, Publisher
from bot.operators.analytics import stats, unanswered
from bot.runtime import Runtime
from bot.store import FaqVersion

router = APIRouter(prefix="/api/v1/admin", tags=["operators"])
EMPTY_DIFF: dict[str, list[Any]] = {"added": [], "removed": [], "changed": []}


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def _lifecycle(request: Request) -> FaqLifecycle:
    services: OperatorServices = request.app.state.operators
    return services.lifecycle


def _publisher(request: Request) -> Publisher:
    services: OperatorServices = request.app.state.operators
    return services.publisher


def _draft_body(version: FaqVersion) -> dict[str, Any]:
    return {
        "version": version.version,
        "state": version.state,
        "errors": version.report["errors"],
        "warnings": version.report["warnings"],
        "diff": version.report.get("diff", EMPTY_DIFF),
        "base": version.base,
        # Set when the draft removes more than the deletion guard's share: publish needs allow_deletions.
        "mass_deletion": version.report.get("mass_deletion"),
    }


@router.get("/me")
async def me(request: Request, principal: PrincipalDep) -> dict[str, Any]:
    """Who the token belongs to and which tenants it manages (the console's login check)."""
    tenants = [t for t in _runtime(request).tenants if principal.may_manage(t.id)]
    return {
        "actor": principal.actor,
        "admin": principal.is_admin,
        "tenants": [{"id": t.id, "display_name": t.display_name} for t in tenants],
    }


@router.post("/tenants/{tenant_id}/faq/drafts", status_code=201)
async def create_draft(request: Request, access: TenantDep, file: Annotated[UploadFile, File()]) -> Any:
    """Import a FAQ file (CSV/XLSX/YAML) as a draft with its validation report and diff against live."""
    data = await file.read(MAX_FILE_BYTES + 1)  # one byte over is enough to refuse it as too large
    name = file.filename or "upload.csv"
    try:
        version = await run_in_threadpool(
            _lifecycle(request).import_file, access.tenant, name, data, access.actor
        )
    except FaqFileError as exc:
        # Same body shape as a draft, so clients read one format; nothing was stored.
        body = {
            "version": None,
            "errors": [{"row": 0, "column": "file", "message": exc.message_ko, "message_en": exc.message_en}],
            "warnings": [],
            "diff": EMPTY_DIFF,
            "error": {"code": exc.code, "message": exc.message_ko, "message_en": exc.message_en},
        }
        return JSONResponse(body, status_code=422)
    if version.publishable:
        _publisher(request).prepare_later(version)
    return _draft_body(version)


@router.get("/tenants/{tenant_id}/faq/versions")
async def list_versions(request: Request, access: TenantDep) -> dict[str, Any]:
    versions = await run_in_threadpool(_runtime(request).store.versions.list, access.tenant)
    job = _publisher(request).status(access.tenant)
    dense = _runtime(request).dense_builds.progress(access.tenant)
    return {
        "versions": [v.summary() for v in versions],
        "serving": _runtime(request).serving_version(access.tenant),
        "job": job.to_dict() if job else None,
        # The served version answers on BM25 while its e5 vectors are built: "e5 1,234 / 10,000".
        "dense": dense.to_dict() if dense else None,
    }


@router.get("/tenants/{tenant_id}/faq/versions/{version}")
async def get_version(request: Request, access: TenantDep, version: int) -> dict[str, Any]:
    found = await run_in_threadpool(_runtime(request).store.versions.get, access.tenant, version)
    return {**found.summary(), **_draft_body(found), "entries": [e.to_dict() for e in found.entries]}


AllowDeletions = Annotated[
    bool, Query(description="confirm a draft that removes more than the deletion guard's share of live FAQs")
]


@router.post("/tenants/{tenant_id}/faq/versions/{version}/publish", status_code=202)
async def publish(
    request: Request, access: TenantDep, version: int, allow_deletions: AllowDeletions = False
) -> dict[str, Any]:
    """Start building the version's index; it goes live when done (poll faq/versions).

    A draft made from a version that is no longer live is rebased onto the live one (the job names
    the new draft) when the two changed different FAQs, and refused with 409 `base_not_live`
    otherwise. A mass deletion is refused with 409 `deletions_need_confirmation` unless confirmed."""
    job = await run_in_threadpool(
        _publisher(request).start, access.tenant, version, access.actor, "publish", allow_deletions
    )
    return job.to_dict()


@router.delete("/tenants/{tenant_id}/faq/versions/{version}", status_code=204)
async def discard(request: Request, access: TenantDep, version: int) -> None:
    """Delete a draft (409 `not_a_draft` for versions that were live: they stay for rollback)."""
    await run_in_threadpool(_lifecycle(request).discard, access.tenant, version, access.actor)


class RollbackRequest(BaseModel):
    version: int = Field(ge=1)


@router.post("/tenants/{tenant_id}/faq/rollback", status_code=202)
async def rollback(request: Request, access: TenantDep, body: RollbackRequest) -> dict[str, Any]:
    job = await run_in_threadpool(
        _publisher(request).start, access.tenant, body.version, access.actor, "rollback"
    )
    return job.to_dict()


class AltQuestionEdit(BaseModel):
    faq_id: str = Field(max_length=80)
    question: str = Field(min_length=1, max_length=300)


class NewFaqEdit(BaseModel):
    question: str = Field(min_length=1, max_length=300)
    answer: str = Field(min_length=1, max_length=2000)
    category: str = Field(default="", max_length=50)


class AnswerEdit(BaseModel):
    faq_id: str = Field(max_length=80)
    answer: str = Field(min_length=1, max_length=2000)


async def _edit_and_publish(request: Request, access: TenantDep, version: FaqVersion) -> JSONResponse:
    body = _draft_body(version)
    if version.publishable:
        job = await run_in_threadpool(
            _publisher(request).start, access.tenant, version.version, access.actor, "publish"
        )
        body["job"] = job.to_dict()
    return JSONResponse(body, status_code=202 if version.publishable else 201)


@router.post("/tenants/{tenant_id}/faq/edits/alt-question")
async def add_alt_question(request: Request, access: TenantDep, body: AltQuestionEdit) -> JSONResponse:
    """A new version with one more alternative question on a live FAQ, published at once."""
    version = await run_in_threadpool(
        _lifecycle(request).add_alt_question, access.tenant, body.faq_id, body.question, access.actor
    )
    return await _edit_and_publish(request, access, version)


@router.post("/tenants/{tenant_id}/faq/edits/new-faq")
async def add_faq(request: Request, access: TenantDep, body: NewFaqEdit) -> JSONResponse:
    version = await run_in_threadpool(
        _lifecycle(request).add_faq, access.tenant, body.question, body.answer, body.category, access.actor
    )
    return await _edit_and_publish(request, access, version)


@router.post("/tenants/{tenant_id}/faq/edits/answer")
async def set_answer(request: Request, access: TenantDep, body: AnswerEdit) -> JSONResponse:
    version = await run_in_threadpool(
        _lifecycle(request).set_answer, access.tenant, body.faq_id, body.answer, access.actor
    )
    return await _edit_and_publish(request, access, version)


@router.get("/tenants/{tenant_id}/faq/live")
async def live_faqs(request: Request, access: TenantDep) -> dict[str, Any]:
    live = await run_in_threadpool(_runtime(request).live_version, access.tenant)
    return {
        "version": live.version,
        "entries": [{"id": e.id, "category": e.category, "question": e.question} for e in live.entries],
    }


DaysQuery = Annotated[int, Query(ge=1, le=365)]


@router.get("/tenants/{tenant_id}/unanswered")
async def unanswered_questions(request: Request, access: TenantDep, days: DaysQuery = 30) -> dict[str, Any]:
    """Fallback and low-confidence questions of the last ``days`` days, grouped by similarity."""
    groups = await run_in_threadpool(
        unanswered, _runtime(request), _lifecycle(request).encoder, access.tenant, days
    )
    return {"days": days, "groups": groups}


@router.get("/tenants/{tenant_id}/stats")
async def usage_stats(request: Request, access: TenantDep, days: DaysQuery = 30) -> dict[str, Any]:
    return await run_in_threadpool(stats, _runtime(request), access.tenant, days)


@router.get("/tenants/{tenant_id}/audit")
async def audit_log(request: Request, access: TenantDep) -> dict[str, Any]:
    events = await run_in_threadpool(_runtime(request).store.audit.recent, access.tenant)
    return {"events": events}
