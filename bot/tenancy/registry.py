"""All tenants of a deployment, read from ``data/tenants/*/tenant.yml``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from bot.errors import UnknownTenant
from bot.tenancy.settings import TENANT_ID, TenantSettings, load_tenant_settings

SETTINGS_FILE = "tenant.yml"
SEED_FAQ = "faq.csv"


class TenantRegistry:
    def __init__(self, tenants: dict[str, TenantSettings], root: Path) -> None:
        self._tenants = tenants
        self.root = root

    @classmethod
    def load(cls, root: Path) -> TenantRegistry:
        tenants = {}
        for path in sorted(root.glob(f"*/{SETTINGS_FILE}")):
            settings = load_tenant_settings(path)
            tenants[settings.id] = settings
        return cls(tenants, root)

    def get(self, tenant_id: str) -> TenantSettings:
        """The tenant's settings; UnknownTenant for anything else (ids are never used as paths unchecked)."""
        if not TENANT_ID.match(tenant_id) or tenant_id not in self._tenants:
            raise UnknownTenant(tenant_id)
        return self._tenants[tenant_id]

    def __contains__(self, tenant_id: object) -> bool:
        return tenant_id in self._tenants

    def __iter__(self) -> Iterator[TenantSettings]:
        return iter(self._tenants.values())

    def ids(self) -> list[str]:
        return list(self._tenants)

    def seed_faq(self, tenant_id: str) -> Path:
        return self.root / self.get(tenant_id).id / SEED_FAQ
