"""faqbot's FAQ retrieval engine: sentence embeddings in FAISS fused with Korean BM25.

Knows nothing of HTTP, Rasa or tenants' settings; callers inject the Korean analyser.
"""

from retrieval.config import (
    Calibration,
    EncoderConfig,
    Fusion,
    LanguageTuning,
    Profile,
    RetrievalConfig,
    ThresholdOverrides,
    Thresholds,
    foreign_tuning,
)
from retrieval.documents import FaqEntry, Translation, content_hash
from retrieval.encoders import Encoder, make_encoder
from retrieval.errors import IndexCorrupted, IndexManifestMismatch, RetrievalError
from retrieval.hubness import Background
from retrieval.index import FaqIndex, Manifest, read_manifest
from retrieval.search import Decision, Hit, SearchResult, decide, search
from retrieval.sparse.bm25 import analyse_all
from retrieval.store import IndexStore

__all__ = [
    "Background",
    "Calibration",
    "Decision",
    "Encoder",
    "EncoderConfig",
    "FaqEntry",
    "FaqIndex",
    "Fusion",
    "Hit",
    "IndexCorrupted",
    "IndexManifestMismatch",
    "IndexStore",
    "LanguageTuning",
    "Manifest",
    "Profile",
    "RetrievalConfig",
    "RetrievalError",
    "SearchResult",
    "ThresholdOverrides",
    "Thresholds",
    "Translation",
    "analyse_all",
    "content_hash",
    "decide",
    "foreign_tuning",
    "make_encoder",
    "read_manifest",
    "search",
]
