"""First-run import of the demo tenants' FAQ sets from the shared folder into data/.

The shared FAQ files are Korean and read-only; a demo tenant's foreign-language questions and
answers ship in the repository as ``data/tenants/<id>/translations.csv`` (``id`` plus
``question_en``/``answer_en``/… columns, keyed by the shared FAQ ids) and are merged in here.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from bot.errors import TenantConfigError
from bot.settings import Settings
from bot.tenancy.registry import SEED_FAQ, SETTINGS_FILE

TRANSLATIONS_FILE = "translations.csv"


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or ()), list(reader)


def merge_translations(faq: Path, translations: Path) -> str:
    """The FAQ file's CSV with the translation columns added to the rows of the same id."""
    columns, rows = _read_csv(faq)
    extra, translated = _read_csv(translations)
    by_id = {row["id"]: row for row in translated}
    unknown = sorted(set(by_id) - {row["id"] for row in rows})
    if unknown:
        raise TenantConfigError(
            f"{translations}: FAQ에 없는 id입니다: {', '.join(unknown)}",
            f"{translations}: ids not in {faq}: {', '.join(unknown)}",
        )
    added = [c for c in extra if c != "id" and c not in columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, [*columns, *added], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, **{c: by_id.get(row["id"], {}).get(c, "") for c in added}})
    return out.getvalue()


def import_demo_faqs(settings: Settings) -> list[str]:
    """Copy ``<demo_source>/<tenant>/faq.csv`` for each configured tenant that has none yet, with the
    tenant's shipped translations merged in."""
    imported = []
    for tenant_dir in sorted(settings.tenants_dir.iterdir()) if settings.tenants_dir.is_dir() else []:
        source = settings.demo_source / tenant_dir.name / SEED_FAQ
        target = tenant_dir / SEED_FAQ
        if (tenant_dir / SETTINGS_FILE).is_file() and source.is_file() and not target.exists():
            translations = tenant_dir / TRANSLATIONS_FILE
            if translations.is_file():
                target.write_text(merge_translations(source, translations), encoding="utf-8")
            else:
                shutil.copyfile(source, target)
            imported.append(tenant_dir.name)
    return imported
