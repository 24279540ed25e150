"""Corrupted or truncated index files on disk: detected by the manifest's checksums at startup,
rebuilt from the stored FAQ version with a log line, and served; the next start finds them intact."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.faqsets.files import read_faq_file
from tests.faults.app_process import AppProcess


def flip_one_byte(index: Path) -> None:
    # Same size, one bit different: only a checksum can tell.
    path = index / "bm25.npz"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def truncate_manifest(index: Path) -> None:
    path = index / "manifest.json"
    path.write_bytes(path.read_bytes()[:10])


# The two smaller demo tenants: each rebuild costs seconds of encoding on the CI machine.
DAMAGE: dict[str, Callable[[Path], None]] = {
    "seohae-mudfest": flip_one_byte,
    "namgang-lantern": truncate_manifest,
}


def live_index(app: AppProcess, tenant: str) -> Path:
    tenant_dir = app.state_dir / "indexes" / tenant
    return tenant_dir / (tenant_dir / "CURRENT").read_text(encoding="utf-8").strip()


def test_corrupted_indexes_are_rebuilt_once_and_served(app: AppProcess) -> None:
    damaged = {}
    for tenant, damage in DAMAGE.items():
        damaged[tenant] = live_index(app, tenant)
        damage(damaged[tenant])

    app.start()

    log = app.log()
    for tenant, index in damaged.items():
        assert f"rebuilding index of {tenant}" in log, log[-3000:]
        assert live_index(app, tenant) != index
        # Served from the rebuilt index: each tenant answers its own first FAQ question with it.
        entry = read_faq_file(app.data_dir / "tenants" / tenant / "faq.csv")[0]
        reply = app.chat(tenant, entry.question)
        assert (reply["decision"], reply["faq_id"]) == ("answer", entry.id)

    # No crash loop and nothing left to repair: the rebuilt indexes load as they are.
    rebuilt = {tenant: live_index(app, tenant) for tenant in DAMAGE}
    app.kill()
    app.start()
    assert "rebuilding index" not in app.log()
    assert {tenant: live_index(app, tenant) for tenant in DAMAGE} == rebuilt
