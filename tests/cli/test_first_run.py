"""A fresh clone, no ``faqbot serve`` before: every read-only command works, or says in one line what
the operator must fix (exit 2). Run as subprocesses of the installed ``faqbot`` entry point."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from bot.demo import LOCK_FILE, import_demo_faqs
from bot.files import exclusive_lock
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
FAQBOT = ROOT / ".venv" / "bin" / "faqbot"
DEMO = ROOT.parent / "shared" / "faq"
TENANT = "gaeram-univ"
# Every read-only command, on a tenant and (search, eval) on a portal.
COMMANDS = {
    "search": ["search", "--tenant", TENANT, "--json"],
    "search-portal": ["search", "--tenant", "jinju", "--json"],
    "eval": ["eval", "--tenant", TENANT, "{cases}", "--json"],
    "eval-portal": ["eval", "--tenant", "jinju", "{cases}", "--json"],
    "tenants": ["tenants"],
    "index-build": ["index", "build"],
}


def fresh_clone(base: Path) -> dict[str, str]:
    """data/ as git has it (no demo FAQ files: they are ignored), an empty state directory."""
    shutil.copytree(ROOT / "data", base / "data", ignore=shutil.ignore_patterns("faq.csv"))
    cases = "query,faq_id,tenant\n휴학 신청은 어떻게 하나요?,,gaeram-univ\n"
    (base / "cases.csv").write_text(cases, encoding="utf-8")
    return {
        **os.environ,
        "FAQBOT_DATA_DIR": str(base / "data"),
        "FAQBOT_STATE_DIR": str(base / "var"),
        "FAQBOT_DEMO_SOURCE": str(DEMO),
        # Process-level behaviour, not ranking: USE builds a fresh demo index in seconds, where a
        # fresh process would spend ~20 s of e5 per test (e5 is covered in-process).
        "FAQBOT_RETRIEVAL__ENCODER__BACKEND": "use-multilingual",
        "RASA_TELEMETRY_ENABLED": "false",
        "COLUMNS": "200",
    }


def run(env: dict[str, str], command: str) -> subprocess.CompletedProcess[str]:
    cases = str(Path(env["FAQBOT_DATA_DIR"]).parent / "cases.csv")
    args = [a.replace("{cases}", cases) for a in COMMANDS[command]]
    return subprocess.run(
        [str(FAQBOT), *args], input="휴학 신청\n", env=env, capture_output=True, text=True, timeout=240
    )


def assert_one_line_error(done: subprocess.CompletedProcess[str], names: str) -> None:
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("오류:"), done.stderr
    assert names in lines[0]
    assert done.stdout == ""


@pytest.mark.parametrize("command", COMMANDS)
def test_read_only_commands_work_on_a_fresh_clone(tmp_path: Path, command: str) -> None:
    env = fresh_clone(tmp_path)
    done = run(env, command)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    # The demo FAQ imported, its translations (data/tenants/<id>/translations.csv) merged beside it.
    seed = _rows(tmp_path / "data" / "tenants" / TENANT / "faq.csv")
    demo = _rows(DEMO / TENANT / "faq.csv")
    assert [{column: row[column] for column in demo[0]} for row in seed] == demo
    assert all(row["question_zh"] for row in seed)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("command", COMMANDS)
def test_no_demo_faq_names_the_missing_file(tmp_path: Path, command: str) -> None:
    env = {**fresh_clone(tmp_path), "FAQBOT_DEMO_SOURCE": str(tmp_path / "no-such-folder")}
    done = run(env, command)
    if command == "tenants":  # the table shows each tenant's problem in its row
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        return
    assert_one_line_error(done, str(tmp_path / "data" / "tenants" / TENANT / "faq.csv"))
    assert "FAQBOT_DEMO_SOURCE" in done.stderr


# Read when the runtime is built, the same for every command.
@pytest.mark.parametrize("command", ["search-portal", "index-build"])
def test_a_broken_tenant_yml_names_the_file(tmp_path: Path, command: str) -> None:
    env = fresh_clone(tmp_path)
    tenant_yml = tmp_path / "data" / "tenants" / TENANT / "tenant.yml"
    tenant_yml.write_text(tenant_yml.read_text(encoding="utf-8") + "greeting: [\n", encoding="utf-8")
    assert_one_line_error(run(env, command), str(tenant_yml))


@pytest.mark.parametrize("command", ["search", "tenants"])
def test_an_unwritable_state_dir_is_named(tmp_path: Path, command: str) -> None:
    # The tests run as root here, so a directory without write permission would still be writable:
    # a file where the state directory's parent should be fails the same way for any user.
    (tmp_path / "occupied").write_text("not a directory")
    env = {**fresh_clone(tmp_path), "FAQBOT_STATE_DIR": str(tmp_path / "occupied" / "var")}
    done = run(env, command)
    assert_one_line_error(done, str(tmp_path / "occupied" / "var"))
    assert "FAQBOT_STATE_DIR" in done.stderr


def test_two_processes_starting_at_once_import_once(tmp_path: Path) -> None:
    env = fresh_clone(tmp_path)
    started = [
        subprocess.Popen([str(FAQBOT), "tenants"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    for process in started:
        _, err = process.communicate(timeout=240)
        assert process.returncode == 0, err.decode()
    # Each seed file whole, as one import alone writes it (the demo FAQ, its translations merged).
    alone = tmp_path / "alone"
    fresh_clone(alone)
    import_demo_faqs(Settings(data_dir=alone / "data", state_dir=alone / "var", demo_source=DEMO))
    for tenant in ("gaeram-univ", "seohae-mudfest", "namgang-lantern"):
        seed = Path("tenants") / tenant / "faq.csv"
        assert (tmp_path / "data" / seed).read_bytes() == (alone / "data" / seed).read_bytes()
    # Nothing half-written is left beside them.
    assert not list((tmp_path / "data" / "tenants").glob("*/.faq.csv.*"))


def test_the_import_waits_for_the_lock_and_then_finds_nothing_left(tmp_path: Path) -> None:
    fresh_clone(tmp_path)
    settings = Settings(data_dir=tmp_path / "data", state_dir=tmp_path / "var", demo_source=DEMO)
    settings.state_dir.mkdir()
    results: list[list[str]] = []
    with exclusive_lock(settings.state_dir / LOCK_FILE):
        waiting = threading.Thread(target=lambda: results.append(import_demo_faqs(settings)))
        waiting.start()
        waiting.join(timeout=1.0)
        assert waiting.is_alive()  # blocked on the lock, nothing written yet
        assert not (settings.tenants_dir / TENANT / "faq.csv").exists()
    waiting.join(timeout=60)
    assert results == [["gaeram-univ", "namgang-lantern", "seohae-mudfest"]]
    assert import_demo_faqs(settings) == []  # idempotent
