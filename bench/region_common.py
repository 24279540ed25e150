"""A throwaway copy of the demo deployment for the region benchmarks (indexes in a temp dir)."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

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
