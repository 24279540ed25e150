"""Operators edit a tenant's synonyms like its FAQ (API and CLI): versioned, live at once, rolled
back in one call."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from bot.runtime import Runtime
from bot.settings import Settings
from tests.operators.live_server import ADMIN_TOKEN, LiveServer, run_cli

TENANT = "seohae-mudfest"
PATH = f"/api/v1/admin/tenants/{TENANT}/synonyms"


def chat_question(client: httpx.Client, text: str) -> str | None:
    """The FAQ the bot answered or offered first for ``text``."""
    body = client.post("/api/v1/chat", json={"tenant": TENANT, "message": text}).raise_for_status().json()
    if body["faq_id"]:
        return str(body["faq_id"])
    buttons = [b["payload"] for m in body["messages"] for b in m["buttons"]]
    return buttons[0] if buttons else None


def test_shipped_synonyms_are_version_one(server: LiveServer) -> None:
    body = server.client(ADMIN_TOKEN).get(PATH).raise_for_status().json()
    assert body["version"] == 1 and body["created_by"] == "seed"
    assert body["terms"]["머드풀"] == ["머드탕", "머드 풀"]
    assert [v["version"] for v in body["versions"]] == [1]


def test_saved_synonyms_are_live_at_once_and_roll_back(server: LiveServer) -> None:
    admin = server.client(ADMIN_TOKEN)
    assert server.runtime.normalise(TENANT, "뻘놀이 체험") == "뻘놀이 체험"
    before = admin.get(PATH).raise_for_status().json()

    terms = {**before["terms"], "갯벌체험": ["뻘놀이"]}
    saved = admin.put(PATH, json={"terms": terms})
    assert saved.status_code == 201, saved.text
    version = saved.json()["version"]
    assert version == before["version"] + 1 and saved.json()["terms"]["갯벌체험"] == ["뻘놀이"]
    assert server.runtime.normalise(TENANT, "뻘놀이 체험") == "갯벌체험 체험"

    listed = admin.get(PATH).raise_for_status().json()
    states = {v["version"]: v["state"] for v in listed["versions"]}
    assert states[version] == "live" and states[before["version"]] == "retired"

    rolled = admin.post(f"{PATH}/rollback", json={"version": before["version"]})
    assert rolled.status_code == 200 and rolled.json()["terms"] == before["terms"]
    assert server.runtime.normalise(TENANT, "뻘놀이 체험") == "뻘놀이 체험"
    actions = [e["action"] for e in admin.get(f"/api/v1/admin/tenants/{TENANT}/audit").json()["events"]]
    assert actions[:2] == ["synonyms_rollback", "synonyms"]


@pytest.mark.parametrize(
    ("terms", "reason"),
    [
        ({"하나요": ["~하노"]}, "~endings or words"),
        ({"머드풀": ["x" * 51]}, "body.terms.머드풀.0"),
    ],
)
def test_invalid_synonyms_are_refused_and_change_nothing(
    server: LiveServer, terms: dict[str, list[str]], reason: str
) -> None:
    admin = server.client(ADMIN_TOKEN)
    before = admin.get(PATH).raise_for_status().json()
    response = admin.put(PATH, json={"terms": terms})
    assert response.status_code == 422
    assert reason in response.json()["error"]["message"]
    assert admin.get(PATH).json()["version"] == before["version"]


def test_synonyms_need_the_tenants_token(server: LiveServer) -> None:
    other = server.runtime.store.tokens.create("gaeram-univ")
    assert server.client().get(PATH).status_code == 401
    assert server.client(other).put(PATH, json={"terms": {}}).status_code == 403
    assert server.client(other).post(f"{PATH}/rollback", json={"version": 1}).status_code == 403


def test_a_synonym_changes_which_faq_answers(server: LiveServer) -> None:
    """The point of a synonym: a local nickname the FAQ never uses now finds the FAQ."""
    admin = server.client(ADMIN_TOKEN)
    before = admin.get(PATH).raise_for_status().json()
    question = "꿀렁존 어디야"
    choice = '/choose_faq{"faq_id":"zone-mud-pool"}'
    assert chat_question(admin, question) not in ("zone-mud-pool", choice)
    try:
        admin.put(PATH, json={"terms": {**before["terms"], "머드풀": ["꿀렁존", "머드탕"]}})
        assert chat_question(admin, question) in ("zone-mud-pool", choice)
    finally:
        admin.post(f"{PATH}/rollback", json={"version": before["version"]}).raise_for_status()


def test_another_process_picks_up_new_synonyms(server: LiveServer, settings: Settings) -> None:
    """A second runtime on the same store (another replica, or the CLI) sees the new live version."""
    replica = Runtime(server.runtime.settings, encoder=server.runtime.encoder)
    assert replica.normalise(TENANT, "펄 체험") == "펄 체험"
    admin = server.client(ADMIN_TOKEN)
    before = admin.get(PATH).raise_for_status().json()
    try:
        admin.put(PATH, json={"terms": {"갯벌": ["펄"]}}).raise_for_status()
        assert replica.refresh() == [TENANT]
        assert replica.normalise(TENANT, "펄 체험") == "갯벌 체험"
    finally:
        admin.post(f"{PATH}/rollback", json={"version": before["version"]}).raise_for_status()
        replica.store.close()


def test_cli_show_edit_set_reaches_the_running_server(server: LiveServer, tmp_path: Path) -> None:
    shown = run_cli(server, "synonyms", "show", "--tenant", TENANT)
    assert shown.returncode == 0, shown.stderr
    assert "머드풀:" in shown.stdout
    edited = tmp_path / "synonyms.yml"
    edited.write_text(shown.stdout + "  갯벌체험: [뻘놀이]\n", encoding="utf-8")

    declined = run_cli(server, "synonyms", "set", "--tenant", TENANT, str(edited), stdin="n\n")
    assert declined.returncode == 1 and "추가 1개: 갯벌체험" in declined.stderr
    assert "삭제 0개" in declined.stderr and server.runtime.normalise(TENANT, "뻘놀이") == "뻘놀이"
    done = run_cli(server, "synonyms", "set", "--tenant", TENANT, str(edited), "--yes")
    assert done.returncode == 0, done.stderr
    version = int(done.stdout.splitlines()[-1])
    started = time.monotonic()
    while server.runtime.normalise(TENANT, "뻘놀이") != "갯벌체험":
        assert time.monotonic() - started < 10, "the server did not load the CLI's synonyms"
        time.sleep(0.1)
    assert server.runtime.normalise(TENANT, "머드탕") == "머드풀"  # the rest of the file kept

    listing = run_cli(server, "synonyms", "versions", "--tenant", TENANT)
    assert listing.returncode == 0 and f"{version}" in listing.stderr
    back = run_cli(server, "synonyms", "rollback", "--tenant", TENANT, "--to", str(version - 1))
    assert back.returncode == 0, back.stderr
    started = time.monotonic()
    while server.runtime.normalise(TENANT, "뻘놀이") != "뻘놀이":
        assert time.monotonic() - started < 10, "the server did not load the rollback"
        time.sleep(0.1)


def test_the_diff_of_a_synonym_change_is_shown_before_saving(server: LiveServer) -> None:
    admin = server.client(ADMIN_TOKEN)
    before = admin.get(PATH).raise_for_status().json()
    try:
        saved = (
            admin.put(PATH, json={"terms": {"갯벌": ["뻘"], "머드풀": ["머드탕"]}}).raise_for_status().json()
        )
        proposed = {"갯벌": ["뻘", "펄"], "유람선": ["배"]}
        diff = admin.post(f"{PATH}/diff", json={"terms": proposed}).raise_for_status().json()["diff"]
        assert diff == {"added": ["유람선"], "removed": ["머드풀"], "changed": ["갯벌"]}
        assert admin.get(PATH).json()["version"] == saved["version"]  # nothing saved
    finally:
        admin.post(f"{PATH}/rollback", json={"version": before["version"]}).raise_for_status()


def test_cli_refuses_a_broken_file(server: LiveServer, tmp_path: Path) -> None:
    broken = tmp_path / "synonyms.yml"
    broken.write_text("terms:\n  머드풀: 머드탕\n", encoding="utf-8")
    done = run_cli(server, "synonyms", "set", "--tenant", TENANT, str(broken))
    assert done.returncode == 2
    assert "유의어 목록을 저장할 수 없습니다" in done.stderr
