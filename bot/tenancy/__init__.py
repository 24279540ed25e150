"""Tenants: each university or festival with its own settings and FAQ set."""

from bot.tenancy.registry import TenantRegistry
from bot.tenancy.settings import Calendar, Contact, Place, Region, TenantSettings, load_tenant_settings

__all__ = [
    "Calendar",
    "Contact",
    "Place",
    "Region",
    "TenantRegistry",
    "TenantSettings",
    "load_tenant_settings",
]
