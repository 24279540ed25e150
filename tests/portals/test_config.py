"""Portal files: coverage by list, by region code or all; bad files name the file and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import TenantConfigError, UnknownTenant
from bot.portals import PortalRegistry
from bot.tenancy import TenantRegistry

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tenants() -> TenantRegistry:
    return TenantRegistry.load(ROOT / "data" / "tenants")


def write(root: Path, name: str, body: str) -> None:
    root.mkdir(exist_ok=True)
    base = (
        "display_name: 테스트\ngreeting: 안녕하세요\nfallback: 죄송합니다\n"
        "contacts: [{name: 안내, phone: 02-000-0000}]\n"
    )
    (root / f"{name}.yml").write_text(base + body, encoding="utf-8")


def test_demo_portals(tenants: TenantRegistry) -> None:
    portals = PortalRegistry.load(ROOT / "data" / "portals", tenants)
    assert sorted(portals.ids()) == ["all", "jinju"]
    assert portals.get("jinju").tenant_ids() == ("gaeram-univ", "namgang-lantern")
    assert sorted(portals.get("all").tenant_ids()) == ["gaeram-univ", "namgang-lantern", "seohae-mudfest"]
    with pytest.raises(UnknownTenant):
        portals.get("gaeram-univ")


@pytest.mark.parametrize(
    ("tenants_line", "expected"),
    [
        ("tenants: [seohae-mudfest]", ("seohae-mudfest",)),
        ('tenants: {region: "48"}', ("gaeram-univ", "namgang-lantern")),  # all of 경상남도
        ('tenants: {region: "44180"}', ("seohae-mudfest",)),
        ("tenants: all", ("gaeram-univ", "namgang-lantern", "seohae-mudfest")),
    ],
)
def test_coverage(
    tmp_path: Path, tenants: TenantRegistry, tenants_line: str, expected: tuple[str, ...]
) -> None:
    write(tmp_path, "p", tenants_line + "\n")
    assert tuple(sorted(PortalRegistry.load(tmp_path, tenants).get("p").tenant_ids())) == expected


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("p", "tenants: [gaeram-univ, nowhere]\n", "nowhere"),
        ("p", 'tenants: {region: "11"}\n', "covers no tenant"),
        ("gaeram-univ", "tenants: all\n", "collides"),
        ("p", "tenants: all\ncolour: red\n", "colour"),
        ("p", "greeting: [\n", "cannot read"),
        (
            "p",
            "tenants: all\nlanguages: {en: {contacts: {없는 창구: {name: Desk}}}}\n",
            "no contact named 없는 창구",
        ),
        ("p", "tenants: all\nlanguages: {fr: {greeting: Bonjour}}\n", "languages.fr"),
        ("p", 'tenants: all\nfallback: ""\n', "fallback"),
    ],
)
def test_bad_portal_files(
    tmp_path: Path, tenants: TenantRegistry, name: str, body: str, message: str
) -> None:
    write(tmp_path, name, body)
    with pytest.raises(TenantConfigError, match=message) as error:
        PortalRegistry.load(tmp_path, tenants)
    assert f"{name}.yml" in error.value.message_en
