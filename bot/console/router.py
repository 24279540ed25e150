"""Serves the operator console under a strict Content-Security-Policy (no inline script or style)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

router = APIRouter(tags=["console"], include_in_schema=False)
STATIC = Path(__file__).resolve().parent / "static"
_FILES = {"console.js": "text/javascript", "console.css": "text/css"}
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
)
_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


@router.get("/admin")
async def console_page() -> FileResponse:
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8", headers=_HEADERS)


@router.get("/admin/static/{name}")
async def console_asset(name: str) -> FileResponse:
    if name not in _FILES:  # a fixed list: the name never reaches the file system unchecked
        raise HTTPException(404)
    return FileResponse(STATIC / name, media_type=_FILES[name], headers=_HEADERS)
