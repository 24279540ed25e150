"""`faqbot search` and `faqbot eval` with a portal id instead of a tenant id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.runtime import Runtime


@pytest.fixture
def env(portal_runtime: Runtime) -> dict[str, str]:
    for tenant in portal_runtime.tenants:
        portal_runtime.index(tenant.id)  # built once; the CLI's own runtime loads them from disk
    settings = portal_runtime.settings
    return {"FAQBOT_DATA_DIR": str(settings.data_dir), "FAQBOT_STATE_DIR": str(settings.state_dir)}


def test_search_json_names_the_tenant(env: dict[str, str]) -> None:
    stdin = "가람대 학생증 재발급 어떻게 해요?\n주차 요금 얼마예요?\n내일 서울 날씨 어때?\n"
    result = CliRunner().invoke(
        app, ["search", "--tenant", "jinju", "--json", "--k", "3"], input=stdin, env=env
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["tenant"] for line in lines] == ["gaeram-univ", None, None]
    assert [line["decision"] for line in lines][1:] == ["suggest", "fallback"]
    assert lines[0]["results"][0] == {
        "faq_id": "student-id-reissue",
        "score": lines[0]["results"][0]["score"],
        "tenant": "gaeram-univ",
    }
    assert {r["tenant"] for r in lines[1]["results"]} == {"gaeram-univ", "namgang-lantern"}
    assert all(len(line["results"]) == 3 for line in lines)


def test_eval_measures_routing(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "portal.csv"
    path.write_text(
        "portal,query,tenant,faq_id\n"
        "jinju,가람대 학생증 재발급 어떻게 해요?,gaeram-univ,student-id-reissue\n"
        "jinju,주차 요금 얼마예요?,,\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["eval", "--tenant", "jinju", str(path), "--json"], env=env)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["queries"], report["routing_accuracy"], report["misses"]) == (2, 1.0, [])


def test_eval_of_a_portal_needs_a_tenant_column(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("query,faq_id\n주차 요금 얼마예요?,\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "--tenant", "jinju", str(path)], env=env)
    assert result.exit_code == 2
