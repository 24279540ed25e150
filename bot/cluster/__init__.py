"""Coordination between app replicas (several processes serving the same tenants)."""
