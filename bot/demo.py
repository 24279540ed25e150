"""First-run import of the demo tenants' FAQ sets from the shared folder into data/."""

from __future__ import annotations

import shutil

from bot.settings import Settings
from bot.tenancy.registry import SEED_FAQ, SETTINGS_FILE


def import_demo_faqs(settings: Settings) -> list[str]:
    """Copy ``<demo_source>/<tenant>/faq.csv`` for each configured tenant that has none yet."""
    imported = []
    for tenant_dir in sorted(settings.tenants_dir.iterdir()) if settings.tenants_dir.is_dir() else []:
        source = settings.demo_source / tenant_dir.name / SEED_FAQ
        target = tenant_dir / SEED_FAQ
        if (tenant_dir / SETTINGS_FILE).is_file() and source.is_file() and not target.exists():
            shutil.copyfile(source, target)
            imported.append(tenant_dir.name)
    return imported
