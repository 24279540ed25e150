"""First-run import of the demo tenants' FAQ sets from the shared folder into data/.

Run by every entry point (``Runtime`` is built by the server, the CLI and the tests), so a fresh
clone answers ``faqbot search`` without a ``faqbot serve`` first. Two processes starting at once
take turns on a lock in the state directory; the second finds the files the first wrote.

The shared FAQ files are Korean and read-only; a demo tenant's foreign-language questions and
answers ship in the repository as ``data/tenants/<id>/translations.csv`` (``id`` plus
``question_en``/``answer_en``/… columns, keyed by the shared FAQ ids) and are merged in here.
"""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path

from bot.errors import DeploymentFileError, TenantConfigError
from bot.files import ensure_writable_dir, exclusive_lock, write_atomically
from bot.settings import Settings
from bot.tenancy.registry import SEED_FAQ, SETTINGS_FILE

log = logging.getLogger(__name__)
LOCK_FILE = "demo-import.lock"
TRANSLATIONS_FILE = "translations.csv"


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
    translations = target.parent / TRANSLATIONS_FILE
    if translations.is_file():
        data = merge_translations(data, source, translations).encode("utf-8")
    try:
        write_atomically(target, data)
    except OSError as exc:
        raise DeploymentFileError(
            f"{target}에 데모 FAQ를 쓸 수 없습니다 ({exc.strerror}) — {target.parent}에 쓰기 권한을 "
            "주거나 FAQ 파일을 직접 두세요.",
            f"cannot write the demo FAQ to {target} ({exc.strerror}) — make {target.parent} writable "
            "or put a FAQ file there yourself.",
        ) from exc


def _read_csv(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    return list(reader.fieldnames or ()), list(reader)


def merge_translations(faq: bytes, source: Path, translations: Path) -> str:
    """The FAQ file's CSV with the translation columns added to the rows of the same id."""
    columns, rows = _read_csv(faq.decode("utf-8-sig"))
    extra, translated = _read_csv(translations.read_text(encoding="utf-8-sig"))
    by_id = {row["id"]: row for row in translated}
    unknown = sorted(set(by_id) - {row["id"] for row in rows})
    if unknown:
        raise TenantConfigError(
            f"{translations}: FAQ에 없는 id입니다: {', '.join(unknown)}",
            f"{translations}: ids not in {source}: {', '.join(unknown)}",
        )
    added = [c for c in extra if c != "id" and c not in columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, [*columns, *added], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, **{c: by_id.get(row["id"], {}).get(c, "") for c in added}})
    return out.getvalue()
