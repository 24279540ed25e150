"""The operator console at /admin: static HTML, CSS and vanilla JS talking to /api/v1/admin."""
