"""The app's live state: tenants, their loaded indexes, and search by tenant id.

Built once by the entry point from Settings; the gateway, the actions and the CLI share it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from bot.errors import FaqbotError
from bot.faqsets import parse_faq_file, validate_rows
from bot.settings import Settings
from bot.tenancy import TenantRegistry, TenantSettings
from nlu.korean import content_morphemes
from retrieval import Encoder, FaqEntry, FaqIndex, IndexStore, SearchResult, make_encoder, search

log = logging.getLogger(__name__)


class FaqSetInvalid(FaqbotError):
    status = 422
    code = "faq_invalid"


def read_faq_file(path: Path) -> list[FaqEntry]:
    """Entries of a FAQ file that must be valid as a whole (seed files, CLI imports)."""
    report = validate_rows(parse_faq_file(path.name, path.read_bytes()))
    if not report.ok:
        lines = "; ".join(f"{e.row}행 {e.column}: {e.message}" for e in report.errors[:10])
        lines_en = "; ".join(f"row {e.row} {e.column}: {e.message_en}" for e in report.errors[:10])
        raise FaqSetInvalid(f"{path}: {lines}", f"{path}: {lines_en}")
    return report.entries


class Runtime:
    def __init__(self, settings: Settings, encoder: Encoder | None = None) -> None:
        self.settings = settings
        self.tenants = TenantRegistry.load(settings.tenants_dir)
        self.encoder = encoder or make_encoder(settings.retrieval.encoder)
        self.indexes = IndexStore(settings.index_dir, self.encoder, content_morphemes, settings.retrieval)
        self._live: dict[str, FaqIndex] = {}
        self._build_lock = threading.Lock()

    def tenant(self, tenant_id: str) -> TenantSettings:
        return self.tenants.get(tenant_id)

    def live_entries(self, tenant_id: str) -> list[FaqEntry]:
        """The FAQ set a tenant should serve now."""
        return read_faq_file(self.tenants.seed_faq(tenant_id))

    def load(self, tenant_id: str, progress: Callable[[int], None] | None = None) -> FaqIndex:
        """Load (building if stale) and swap in the tenant's index."""
        entries = self.live_entries(tenant_id)
        with self._build_lock:
            index = self.indexes.ensure(tenant_id, entries, progress)
        self.swap(tenant_id, index)
        return index

    def load_all(self) -> None:
        for tenant in self.tenants:
            self.load(tenant.id)

    def swap(self, tenant_id: str, index: FaqIndex) -> None:
        # A dict item assignment is atomic: a concurrent search sees the old index or the new one.
        self._live[tenant_id] = index
        log.info("tenant %s serves index %s (%d FAQs)", tenant_id, index.faq_hash[:12], len(index.entries))

    def index(self, tenant_id: str) -> FaqIndex:
        self.tenant(tenant_id)
        if tenant_id not in self._live:
            return self.load(tenant_id)
        return self._live[tenant_id]

    def is_loaded(self, tenant_id: str) -> bool:
        return tenant_id in self._live

    def is_ready(self) -> bool:
        return all(self.is_loaded(t.id) for t in self.tenants)

    def search(self, tenant_id: str, query: str, k: int = 5) -> SearchResult:
        tenant = self.tenant(tenant_id)
        return search(self.index(tenant_id), query, tenant.thresholds, k=k)
