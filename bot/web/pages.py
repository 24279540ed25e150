"""Serves the widget (``/widget.js``, ``/widget.css``) and the demo page at ``/``."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from bot.api.limits import PAGE_CSP

STATIC = Path(__file__).parent / "static"
# Host pages load the widget from faqbot's origin, so these must be fetchable cross-origin;
# no-cache keeps embedded widgets current after an upgrade (revalidated with ETag).
ASSET_HEADERS = {"cache-control": "no-cache", "cross-origin-resource-policy": "cross-origin"}

router = APIRouter(include_in_schema=False)


def _asset(name: str, media_type: str) -> FileResponse:
    return FileResponse(STATIC / name, media_type=media_type, headers=ASSET_HEADERS)


def _page(name: str) -> FileResponse:
    return FileResponse(
        STATIC / name,
        media_type="text/html; charset=utf-8",
        headers={"content-security-policy": PAGE_CSP, "cache-control": "no-cache"},
    )


@router.get("/")
async def demo_page() -> FileResponse:
    return _page("demo.html")


@router.get("/portal")
async def portal_page() -> FileResponse:
    """The demo's regional portals (진주시, and every demo tenant) side by side."""
    return _page("portal.html")


@router.get("/widget.js")
async def widget_js() -> FileResponse:
    return _asset("widget.js", "text/javascript; charset=utf-8")


@router.get("/widget.css")
async def widget_css() -> FileResponse:
    return _asset("widget.css", "text/css; charset=utf-8")


@router.get("/demo.css")
async def demo_css() -> FileResponse:
    return _asset("demo.css", "text/css; charset=utf-8")
