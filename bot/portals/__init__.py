"""Portals: one widget for several tenants of a region, routing each question to the right one."""

from bot.portals.config import PortalRegion, PortalSettings, RegionSelector, Routing, load_portal_settings
from bot.portals.evaluation import PortalCase, RoutingReport, evaluate_routing, read_portal_cases
from bot.portals.registry import Portal, PortalRegistry
from bot.portals.router import Evidence, PortalRouter, PortalSession, Routed, decide

__all__ = [
    "Evidence",
    "Portal",
    "PortalCase",
    "PortalRegion",
    "PortalRegistry",
    "PortalRouter",
    "PortalSession",
    "PortalSettings",
    "RegionSelector",
    "Routed",
    "Routing",
    "RoutingReport",
    "decide",
    "evaluate_routing",
    "load_portal_settings",
    "read_portal_cases",
]
