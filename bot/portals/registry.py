"""All portals of a deployment, each resolved to the tenants it covers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.errors import TenantConfigError, UnknownTenant
from bot.portals.config import PortalSettings, load_portal_settings
from bot.tenancy import TenantRegistry, TenantSettings
from bot.tenancy.settings import TENANT_ID


@dataclass(frozen=True)
class Portal:
    settings: PortalSettings
    tenants: tuple[TenantSettings, ...]

    @property
    def id(self) -> str:
        return self.settings.id

    def tenant_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.tenants)


def _resolve(settings: PortalSettings, tenants: TenantRegistry, path: Path) -> Portal:
    if isinstance(settings.tenants, tuple):
        unknown = [t for t in settings.tenants if t not in tenants]
        if unknown:
            names = ", ".join(unknown)
            raise TenantConfigError(
                f"{path}: 없는 테넌트를 포함합니다 — {names}", f"{path}: unknown tenants — {names}"
            )
    covered = tuple(t for t in tenants if settings.covers(t))
    if not covered:
        raise TenantConfigError(f"{path}: 포함된 테넌트가 없습니다.", f"{path}: the portal covers no tenant")
    return Portal(settings, covered)


PORTALS_DIR = "portals"


class PortalRegistry:
    def __init__(self, portals: dict[str, Portal]) -> None:
        self._portals = portals

    @classmethod
    def load(cls, root: Path, tenants: TenantRegistry) -> PortalRegistry:
        """Read ``root/*.yml``; a portal id must not shadow a tenant id (both share one namespace)."""
        portals = {}
        for path in sorted(root.glob("*.yml")) if root.is_dir() else []:
            settings = load_portal_settings(path)
            if not TENANT_ID.match(settings.id) or settings.id in tenants:
                raise TenantConfigError(
                    f"{path}: 포털 ID '{settings.id}'는 쓸 수 없습니다 (형식 오류 또는 테넌트 ID와 중복).",
                    f"{path}: portal id '{settings.id}' is malformed or collides with a tenant id",
                )
            portals[settings.id] = _resolve(settings, tenants, path)
        return cls(portals)

    def get(self, portal_id: str) -> Portal:
        if portal_id not in self._portals:
            raise UnknownTenant(portal_id)
        return self._portals[portal_id]

    def __contains__(self, portal_id: object) -> bool:
        return portal_id in self._portals

    def __iter__(self) -> Iterator[Portal]:
        return iter(self._portals.values())

    def ids(self) -> list[str]:
        return list(self._portals)
