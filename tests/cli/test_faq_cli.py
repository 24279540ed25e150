"""The FAQ lifecycle CLI as operators run it: markup-looking text, mass deletions, stale drafts."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.faqsets import parse_faq_file, validate_rows
from tests.cli.cli import faqbot

TENANT = "namgang-lantern"


def seed_faqs(env: dict[str, str]) -> list[dict[str, str]]:
    path = Path(env["FAQBOT_DATA_DIR"]) / "tenants" / TENANT / "faq.csv"
    entries = validate_rows(parse_faq_file(path.name, path.read_bytes())).entries
    return [{"id": e.id, "question": e.question, "answer": e.answer} for e in entries]


def write_yaml(tmp_path: Path, name: str, faqs: list[dict[str, str]]) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump({"faqs": faqs}, allow_unicode=True), encoding="utf-8")
    return path


def test_rich_markup_in_a_question_is_printed_as_text(env: dict[str, str], tmp_path: Path) -> None:
    marked = {
        "id": "markup",
        "question": "[/b] 태그가 [bold]보이나요[/bold]?",
        "answer": "네, 그대로 보입니다.",
    }
    path = write_yaml(tmp_path, "markup.yml", [*seed_faqs(env), marked])
    done = faqbot(env, "faq", "import", "--tenant", TENANT, str(path), "--publish")
    assert done.returncode == 0, done.stderr
    assert "[/b] 태그가 [bold]보이나요[/bold]?" in done.stderr
    assert done.stdout.strip().splitlines()[-1] == "2"


def test_a_98_percent_deletion_needs_allow_deletions(env: dict[str, str], tmp_path: Path) -> None:
    path = write_yaml(tmp_path, "one.yml", seed_faqs(env)[:1])
    refused = faqbot(env, "faq", "import", "--tenant", TENANT, str(path), "--publish")
    assert refused.returncode == 2
    assert "지워집니다" in refused.stderr and "--allow-deletions" in refused.stderr
    assert refused.stdout == ""  # nothing reported as published
    listed = faqbot(env, "faq", "publish", "--tenant", TENANT)
    assert listed.returncode == 2 and "allow_deletions" in listed.stderr
    done = faqbot(env, "faq", "publish", "--tenant", TENANT, "--allow-deletions")
    assert done.returncode == 0, done.stderr
    assert "게시되었습니다" in done.stderr
