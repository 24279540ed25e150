"""Operator FAQ files: parsing (CSV/XLSX/YAML) and row-level validation."""

from bot.faqsets.parse import FaqFileError, RawRow, parse_faq_file
from bot.faqsets.validate import RowIssue, ValidationReport, derive_id, validate_rows

__all__ = [
    "FaqFileError",
    "RawRow",
    "RowIssue",
    "ValidationReport",
    "derive_id",
    "parse_faq_file",
    "validate_rows",
]
