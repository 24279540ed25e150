"""How a tenant's visitors talk: the regional dialect lexicon and the tenant's own synonyms.

Dialect files live in ``data/lexicon/regions/<dialect>.yml`` and list the region codes (시도 prefixes
of the 행정표준코드) where the dialect is spoken, so one Gyeongsang file serves 부산 to 경상남도.
A tenant's own synonyms are versioned in the store like its FAQ (operators edit them live);
``data/tenants/<id>/synonyms.yml`` is the shipped first version.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import yaml

from bot.errors import TenantConfigError
from bot.tenancy.settings import TenantSettings
from nlu.lexicon import Lexicon, LexiconError, read_terms

SYNONYMS_FILE = "synonyms.yml"


@lru_cache(maxsize=64)
def _region_codes(path: Path, modified: float) -> tuple[str, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return tuple(str(code) for code in data.get("regions") or ())


def dialect_files(lexicon_dir: Path, region_code: str) -> list[Path]:
    """Dialect files whose regions contain ``region_code`` (48170 is in 48), most specific last."""
    matches = []
    for path in sorted((lexicon_dir / "regions").glob("*.yml")):
        codes = [c for c in _region_codes(path, path.stat().st_mtime) if region_code.startswith(c)]
        if codes:
            matches.append((max(len(c) for c in codes), path))
    return [path for _, path in sorted(matches)]


def seed_synonyms(data_dir: Path, tenant: TenantSettings) -> dict[str, list[str]]:
    """The tenant's shipped synonyms (version 1 in the store), or none if it ships no file."""
    path = data_dir / "tenants" / tenant.id / SYNONYMS_FILE
    if not path.is_file():
        return {}
    try:
        return read_terms(path)
    except LexiconError as exc:
        raise TenantConfigError(
            f"{tenant.id} 유의어 파일 오류: {exc}", f"{tenant.id} synonyms: {exc}"
        ) from exc


def tenant_lexicon(data_dir: Path, tenant: TenantSettings, synonyms: Mapping[str, Sequence[str]]) -> Lexicon:
    """The tenant's dialect files with its own synonyms layered on top (the general lexicon is applied
    by the index itself, to FAQ texts and questions alike)."""
    files = dialect_files(data_dir / "lexicon", tenant.region.code)
    try:
        return Lexicon.load(files).merged(Lexicon.from_mapping(synonyms))
    except (LexiconError, yaml.YAMLError, OSError) as exc:
        raise TenantConfigError(f"{tenant.id} 어휘 파일 오류: {exc}", f"{tenant.id} lexicon: {exc}") from exc


class TenantLexicons:
    """Each tenant's lexicon, rebuilt when its synonym version or a dialect file changes."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._cache: dict[str, tuple[tuple[object, ...], Lexicon]] = {}

    def get(self, tenant: TenantSettings, version: int, synonyms: Mapping[str, Sequence[str]]) -> Lexicon:
        files = dialect_files(self.data_dir / "lexicon", tenant.region.code)
        stamp = (version, *((f, f.stat().st_mtime) for f in files))
        cached = self._cache.get(tenant.id)
        if cached is None or cached[0] != stamp:
            cached = self._cache[tenant.id] = (stamp, tenant_lexicon(self.data_dir, tenant, synonyms))
        return cached[1]
