"""A throwaway copy of the demo deployment for the region benchmarks (indexes in a temp dir)."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from bot.chat import payloads
from bot.demo import import_demo_faqs
from bot.runtime import Runtime
from bot.settings import Settings
from retrieval import Encoder, RetrievalConfig

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EVAL = SHARED / "eval"


def demo_runtime(encoder: Encoder | None = None, retrieval: RetrievalConfig | None = None) -> Runtime:
    """A Runtime over a private copy of data/ with the demo FAQ sets imported and indexes loaded
    (through ``encoder`` when the caller has one loaded already, made from ``retrieval``'s)."""
    work = Path(tempfile.mkdtemp(prefix="faqbot-region-"))
    atexit.register(shutil.rmtree, work, ignore_errors=True)
    shutil.copytree(ROOT / "data", work / "data")
    settings = Settings(
        data_dir=work / "data",
        state_dir=work / "var",
        demo_source=SHARED / "faq",
        retrieval=retrieval or RetrievalConfig(),
    )
    import_demo_faqs(settings)
    runtime = Runtime(settings, encoder=encoder)
    runtime.load_all()
    return runtime


def ask_chat(client: TestClient, tenant: str, query: str, faq_id: str) -> tuple[bool, dict[str, Any]]:
    """``query`` through POST /api/v1/chat (the direct path, a new session): is it resolved, that is
    answered with ``faq_id`` or offered ``faq_id`` among the buttons? And the reply."""
    body = {"tenant": tenant, "session_id": None, "message": query}
    reply: dict[str, Any] = client.post("/api/v1/chat", json=body).json()
    if reply["decision"] == "answer":
        return reply["faq_id"] == faq_id, reply
    offered = [b["payload"] for m in reply["messages"] for b in m["buttons"]]
    return reply["decision"] == "suggest" and payloads.choose_faq(faq_id) in offered, reply
