"""The embeddable web widget and the demo page, served as static files."""
