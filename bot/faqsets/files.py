"""A FAQ file that must be valid as a whole (seed files, CLI imports): its entries, or one error
that names the file and its first bad rows."""

from __future__ import annotations

from pathlib import Path

from bot.errors import DeploymentFileError, FaqbotError
from bot.faqsets.parse import parse_faq_file
from bot.faqsets.validate import validate_rows
from retrieval import FaqEntry


class FaqSetInvalid(FaqbotError):
    status = 422
    code = "faq_invalid"


def read_faq_file(path: Path) -> list[FaqEntry]:
    """Entries of a FAQ file that must be valid as a whole (seed files, CLI imports)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DeploymentFileError(
            f"FAQ 파일 {path}을(를) 읽을 수 없습니다 ({exc.strerror}) — FAQ 파일(CSV, XLSX 또는 YAML)을 "
            "그 경로에 두거나 데모 FAQ가 있는 폴더를 FAQBOT_DEMO_SOURCE로 지정하세요.",
            f"cannot read the FAQ file {path} ({exc.strerror}) — put a FAQ file (CSV, XLSX or YAML) "
            "there or point FAQBOT_DEMO_SOURCE at the demo FAQ folder.",
        ) from exc
    report = validate_rows(parse_faq_file(path.name, data))
    if not report.ok:
        lines = "; ".join(f"{e.row}행 {e.column}: {e.message}" for e in report.errors[:10])
        lines_en = "; ".join(f"row {e.row} {e.column}: {e.message_en}" for e in report.errors[:10])
        raise FaqSetInvalid(f"{path}: {lines}", f"{path}: {lines_en}")
    return report.entries
