"""The retrieval CLI contract, run as a subprocess of the installed ``faqbot`` entry point."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

import pytest

from tests.cli.cli import FAQBOT, faqbot

TENANT = "seohae-mudfest"


def test_index_build_then_tenants_show_fresh_indexes(env: dict[str, str]) -> None:
    built = faqbot(env, "index", "build", "--tenant", TENANT)
    assert built.returncode == 0, built.stderr
    assert f"{TENANT}: 60개 FAQ 색인 완료" in built.stderr
    again = faqbot(env, "index", "build", "--tenant", TENANT)
    assert "최신 (up to date)" in again.stderr
    listed = faqbot(env, "tenants")
    assert listed.returncode == 0, listed.stderr
    row = next(line for line in listed.stderr.splitlines() if TENANT in line)
    assert "60" in row and "최신" in row
    assert "gaeram-univ" in listed.stderr and "namgang-lantern" in listed.stderr


def test_search_json_lines(env: dict[str, str]) -> None:
    queries = ["머드축제 주차장 어디에 있어요?", "", "내일 서울 날씨 어때?", "머드축제주차장어디"]
    done = faqbot(env, "search", "--tenant", TENANT, "--k", "3", "--json", stdin="\n".join(queries) + "\n")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [x["query"] for x in lines] == [q for q in queries if q]  # blank lines are skipped
    for line in lines:
        assert set(line) == {"query", "decision", "results"}
        assert line["decision"] in ("answer", "suggest", "fallback")
        assert len(line["results"]) == 3  # always k results, even on fallback
        scores = [r["score"] for r in line["results"]]
        assert scores == sorted(scores, reverse=True)
        assert all(set(r) == {"faq_id", "score"} and isinstance(r["score"], float) for r in line["results"])
    assert lines[0]["results"][0]["faq_id"] == "parking-location"
    assert lines[1]["decision"] == "fallback"
    assert lines[2]["results"][0]["faq_id"] == "parking-location"


def test_search_defaults_to_five_results(env: dict[str, str]) -> None:
    done = faqbot(env, "search", "--tenant", TENANT, "--json", stdin="셔틀버스 몇 시에 다녀요?\n")
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["results"]) == 5


@pytest.mark.parametrize("command", [["search", "--json"], ["eval"]])
def test_unknown_tenant_exits_2_with_a_clear_message(
    env: dict[str, str], tmp_path: Path, command: list[str]
) -> None:
    extra = [str(_write_cases(tmp_path, [("질문", "")]))] if command == ["eval"] else []
    done = faqbot(env, *command, "--tenant", "no-such-tenant", *extra, stdin="주차\n")
    assert done.returncode == 2
    assert "no-such-tenant" in done.stderr and done.stdout == ""


def _write_cases(tmp_path: Path, rows: list[tuple[str, str]]) -> Path:
    path = tmp_path / "cases.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["query", "faq_id"])
        writer.writerows(rows)
    return path


def test_eval_reports_every_figure(env: dict[str, str], tmp_path: Path) -> None:
    cases = _write_cases(
        tmp_path,
        [
            ("머드축제 주차장은 어디에 있나요?", "parking-location"),
            ("2026 서해 머드축제는 언제 열리나요?", "festival-dates"),  # the FAQ's own question
            ("머드축제 주차장은 어디에 있나요?", "festival-dates"),  # a deliberate miss
            ("비트코인 시세 알려줘", ""),
        ],
    )
    done = faqbot(env, "eval", "--tenant", TENANT, str(cases), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["queries"] == 4 and report["in_scope"] == 3
    assert report["top1"] == pytest.approx(2 / 3) and report["top3"] == pytest.approx(2 / 3)
    assert 2 / 3 <= report["mrr10"] < 1
    assert report["oos_rejection"] == 1.0
    assert set(report["rates"]) == {"answer", "suggest", "fallback"}
    assert sum(report["rates"].values()) == pytest.approx(1.0)
    # The out-of-scope question fell back, so every answer went to an in-scope one.
    assert report["answered_in_scope"] * 3 == pytest.approx(report["rates"]["answer"] * 4)
    assert report["answered_in_scope"] > 0
    assert [m["gold"] for m in report["misses"]] == ["festival-dates"]
    table = faqbot(env, "eval", "--tenant", TENANT, str(cases))
    for label in ("top-1", "top-3", "MRR@10", "OOS rejection", "answer precision", "in-scope answered", "✗"):
        assert label in table.stderr


@pytest.mark.parametrize(
    "command", [[], ["search"], ["eval"], ["index"], ["index", "build"], ["tenants"], ["serve"]]
)
def test_every_command_has_help(command: list[str]) -> None:
    done = subprocess.run([str(FAQBOT), *command, "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Usage" in done.stdout


def test_eval_reports_per_language_and_keeps_the_tenants_rows(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "foreign.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["tenant", "lang", "query", "faq_id"])
        writer.writerows(
            [
                (TENANT, "ko", "머드축제 주차장은 어디에 있나요?", "parking-location"),
                (TENANT, "en", "is there a place to store a suitcase", "luggage-storage"),
                (TENANT, "en", "recommend a gaming laptop", ""),
                (TENANT, "zh", "有淋浴的地方吗", "shower"),
                ("gaeram-univ", "en", "how do I take a leave of absence", "leave-of-absence"),
            ]
        )
    done = faqbot(env, "eval", "--tenant", TENANT, str(path), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["queries"] == 4
    assert {k: v["queries"] for k, v in report["languages"].items()} == {"en": 2, "ko": 1, "zh": 1}
    assert report["languages"]["en"]["oos_rejection"] == 1.0
