"""A portal: one widget for several tenants of a region, from ``data/portals/<id>.yml``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.errors import TenantConfigError
from bot.tenancy import Contact, TenantSettings
from bot.tenancy.settings import Theme


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PortalRegion(_Strict):
    """Where the portal serves; ``code`` is the 행정표준코드 prefix (48 = 경상남도, 48170 = 진주시)."""

    sido: str
    sigungu: str | None = None
    code: str = Field(pattern=r"^[0-9]{2,10}$")


class RegionSelector(_Strict):
    """Covers every tenant whose region code starts with ``region`` (new tenants join by themselves)."""

    region: str = Field(pattern=r"^[0-9]{2,10}$")


class Routing(_Strict):
    """How a question without a tenant name is routed (calibrated by ``bench/region_portal.py``).

    Each covered tenant's strength is its retrieval relevance (the probability that the question is
    about its FAQ set) plus ``topic_weight`` × its topic share (how much of the question's
    vocabulary is that tenant's own).
    """

    topic_weight: float = Field(default=0.65, ge=0, le=2)
    # The best tenant must lead the next by this much to be answered without asking.
    margin: float = Field(default=0.44, ge=0, le=2)
    # Below this strength no tenant has anything: the portal's own fallback.
    floor: float = Field(default=0.85, ge=0, le=3)


class PortalSettings(_Strict):
    """What a portal configures: who it covers and how it greets and falls back."""

    id: str
    display_name: str
    region: PortalRegion | None = None
    # An explicit list, a region selector, or "all" for every tenant of the deployment.
    tenants: tuple[str, ...] | RegionSelector | Literal["all"]
    greeting: str
    fallback: str
    contacts: tuple[Contact, ...] = Field(min_length=1)
    theme: Theme = Theme()
    # Pages allowed to embed the portal's widget (CORS), like a tenant's.
    origins: tuple[str, ...] = ()
    routing: Routing = Routing()

    @property
    def main_contact(self) -> Contact:
        return next((c for c in self.contacts if c.main), self.contacts[0])

    def covers(self, tenant: TenantSettings) -> bool:
        if self.tenants == "all":
            return True
        if isinstance(self.tenants, RegionSelector):
            return tenant.region.code.startswith(self.tenants.region)
        return tenant.id in self.tenants


def load_portal_settings(path: Path) -> PortalSettings:
    """Read one portal file; a bad file raises TenantConfigError naming the file and the field."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return PortalSettings.model_validate({"id": path.stem, **raw})
    except (OSError, yaml.YAMLError) as exc:
        raise TenantConfigError(
            f"{path} 파일을 읽을 수 없습니다: {exc}", f"cannot read {path}: {exc}"
        ) from exc
    except ValidationError as exc:
        fields = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise TenantConfigError(f"{path} 설정 오류 — {fields}", f"invalid {path} — {fields}") from exc
