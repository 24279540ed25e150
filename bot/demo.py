"""First-run import of the demo tenants' FAQ sets from the shared folder into data/.

Run by every entry point (``Runtime`` is built by the server, the CLI and the tests), so a fresh
clone answers ``faqbot search`` without a ``faqbot serve`` first. Two processes starting at once
take turns on a lock in the state directory; the second finds the files the first wrote.
"""

from __future__ import annotations

import logging
from pathlib import Path

from bot.errors import DeploymentFileError
from bot.files import ensure_writable_dir, exclusive_lock, write_atomically
from bot.settings import Settings
from bot.tenancy.registry import SEED_FAQ, SETTINGS_FILE

log = logging.getLogger(__name__)
LOCK_FILE = "demo-import.lock"


def import_demo_faqs(settings: Settings) -> list[str]:
    """Copy ``<demo_source>/<tenant>/faq.csv`` for each configured tenant that has none yet; the ids
    of the tenants imported."""
    if not _missing(settings):
        return []
    ensure_writable_dir(settings.state_dir)  # it holds the lock
    imported = []
    with exclusive_lock(settings.state_dir / LOCK_FILE):
        # Again under the lock: another process may have imported them meanwhile.
        for source, target in _missing(settings):
            _copy(source, target)
            imported.append(target.parent.name)
    if imported:
        log.info("imported the demo FAQ sets of %s from %s", ", ".join(imported), settings.demo_source)
    return imported


def _missing(settings: Settings) -> list[tuple[Path, Path]]:
    """(demo file, seed file) for each configured tenant without a seed FAQ file but with a demo one."""
    tenants_dir = settings.tenants_dir
    pairs = []
    for tenant_dir in sorted(tenants_dir.iterdir()) if tenants_dir.is_dir() else []:
        source, target = settings.demo_source / tenant_dir.name / SEED_FAQ, tenant_dir / SEED_FAQ
        if (tenant_dir / SETTINGS_FILE).is_file() and source.is_file() and not target.exists():
            pairs.append((source, target))
    return pairs


def _copy(source: Path, target: Path) -> None:
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise DeploymentFileError(
            f"데모 FAQ {source}을(를) 읽을 수 없습니다 ({exc.strerror}) — 읽기 권한을 주거나 "
            f"{target}에 FAQ 파일을 직접 두세요.",
            f"cannot read the demo FAQ {source} ({exc.strerror}) — make it readable or put a FAQ file "
            f"at {target} yourself.",
        ) from exc
    try:
        write_atomically(target, data)
    except OSError as exc:
        raise DeploymentFileError(
            f"{target}에 데모 FAQ를 쓸 수 없습니다 ({exc.strerror}) — {target.parent}에 쓰기 권한을 "
            "주거나 FAQ 파일을 직접 두세요.",
            f"cannot write the demo FAQ to {target} ({exc.strerror}) — make {target.parent} writable "
            "or put a FAQ file there yourself.",
        ) from exc
