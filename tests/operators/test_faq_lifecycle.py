"""The FAQ lifecycle without HTTP: drafts with exact row errors, warnings, diff, publish, rollback."""

from __future__ import annotations

import dataclasses

import pytest

from bot.faqsets import FaqFileError
from bot.operators import FaqLifecycle
from bot.operators.errors import DraftHasErrors, NotRollbackTarget
from bot.runtime import Runtime
from tests.operators.files import NEW_FAQ, csv_bytes, row

TENANT = "namgang-lantern"


@pytest.fixture
def lifecycle(runtime: Runtime) -> FaqLifecycle:
    runtime.load(TENANT)
    return FaqLifecycle(runtime)


def test_a_near_duplicate_warning_follows_its_row_across_re_imports(lifecycle: FaqLifecycle) -> None:
    near = dataclasses.replace(NEW_FAQ, id="pet-2", question="반려견과 함께 유등 축제장에 들어갈 수 있나요")
    rows = [*(row(e) for e in lifecycle.runtime.live_entries(TENANT)), row(NEW_FAQ), row(near)]

    def near_rows(rows: list[list[str]]) -> list[int]:
        draft = lifecycle.import_file(TENANT, "faq.csv", csv_bytes(rows), "tester")
        return [w["row"] for w in draft.report["warnings"] if "거의 같습니다" in w["message"]]

    compared: list[int] = []
    many = lifecycle.analyser.many
    lifecycle.analyser.many = lambda texts: compared.append(len(texts)) or many(texts)  # type: ignore[method-assign]
    assert near_rows(rows) == [len(rows) + 1]
    assert compared
    compared.clear()
    answers_fixed = [[*r[:3], r[3] + " (수정)", *r[4:]] for r in rows]
    assert near_rows(answers_fixed) == [len(rows) + 1]  # the same questions in the same rows
    assert compared == []  # not compared again
    moved = [row(dataclasses.replace(NEW_FAQ, id="first", question="축제 기념 배지는 어디서 받나요?")), *rows]
    assert near_rows(moved) == [len(moved) + 1]


def test_bad_rows_make_a_draft_with_exactly_those_errors(lifecycle: FaqLifecycle) -> None:
    live = lifecycle.runtime.live_entries(TENANT)
    rows = [row(e) for e in live]
    rows[3][3] = ""  # answer missing (file row 5)
    rows[10][2] = ""  # question missing (file row 12)
    rows[20][5] = "www.example.kr/no-scheme"  # link without http(s) (file row 22)
    version = lifecycle.import_file(TENANT, "faq.csv", csv_bytes(rows), "tester")
    errors = [(e["row"], e["column"]) for e in version.report["errors"]]
    assert errors == [(5, "answer"), (12, "question"), (22, "link")]
    assert version.state == "draft" and not version.publishable
    with pytest.raises(DraftHasErrors):
        lifecycle.publish(TENANT, version.version, "tester")
    assert lifecycle.runtime.live_version(TENANT).version == 1


def test_warnings_and_diff_against_live(lifecycle: FaqLifecycle) -> None:
    live = lifecycle.runtime.live_entries(TENANT)
    rows = [row(e) for e in live[1:]]  # the first FAQ removed
    rows[0][3] = rows[0][3] + " (변경)"  # one answer changed
    rows.append(row(NEW_FAQ))  # one added
    near = dataclasses.replace(NEW_FAQ, id="pet-2", question="반려견과 함께 유등 축제장에 들어갈 수 있나요")
    rows.append(row(near))  # almost the same question as the previous row
    same = dataclasses.replace(NEW_FAQ, id="pet-3", answer="다른 답변입니다.")
    rows.append(row(same))  # the same question with another answer
    version = lifecycle.import_file(TENANT, "faq.csv", csv_bytes(rows), "tester")
    assert version.report["errors"] == []
    new_rows = len(rows) + 1  # header is row 1
    warned = {(w["row"], w["column"]) for w in version.report["warnings"]}
    assert (new_rows - 1, "question") in warned  # near-duplicate
    assert (new_rows, "question") in warned  # same question, different answer
    assert any("답변이 서로 다릅니다" in w["message"] for w in version.report["warnings"])
    diff = version.report["diff"]
    assert [d["id"] for d in diff["removed"]] == [live[0].id]
    assert [d["id"] for d in diff["added"]] == [NEW_FAQ.id, "pet-2", "pet-3"]
    assert diff["changed"] == [{"id": live[1].id, "question": live[1].question, "fields": ["answer"]}]


def test_unreadable_file_changes_nothing(lifecycle: FaqLifecycle) -> None:
    with pytest.raises(FaqFileError):
        lifecycle.import_file(TENANT, "faq.csv", csv_bytes([["a"]], header=["제목", "내용"]), "tester")
    with pytest.raises(FaqFileError):
        lifecycle.import_file(TENANT, "faq.xlsx", b"not a zip", "tester")
    assert [v.version for v in lifecycle.store.versions.list(TENANT)] == [1]


def test_publish_serves_the_new_set_and_rollback_the_old(lifecycle: FaqLifecycle) -> None:
    runtime = lifecycle.runtime
    rows = [row(e) for e in runtime.live_entries(TENANT)] + [row(NEW_FAQ)]
    draft = lifecycle.import_file(TENANT, "faq.csv", csv_bytes(rows), "tester")
    assert runtime.search(TENANT, NEW_FAQ.question).hits[0].faq_id != NEW_FAQ.id
    lifecycle.publish(TENANT, draft.version, "tester")
    assert runtime.serving_version(TENANT) == draft.version
    result = runtime.search(TENANT, NEW_FAQ.question)
    assert (result.decision, result.hits[0].faq_id) == ("answer", NEW_FAQ.id)
    with pytest.raises(NotRollbackTarget):
        lifecycle.rollback(TENANT, lifecycle.import_file(TENANT, "x.csv", csv_bytes(rows), "t").version, "t")
    lifecycle.rollback(TENANT, 1, "tester")
    assert runtime.search(TENANT, NEW_FAQ.question).hits[0].faq_id != NEW_FAQ.id
    states = {v.version: v.state for v in lifecycle.store.versions.list(TENANT)}
    assert states == {1: "live", 2: "retired", 3: "draft"}
    actions = [e["action"] for e in lifecycle.store.audit.recent(TENANT)]
    assert actions[:3] == ["rollback", "import", "publish"]


def test_edit_adds_an_alternative_question_as_a_new_version(lifecycle: FaqLifecycle) -> None:
    faq = lifecycle.runtime.live_entries(TENANT)[0]
    version = lifecycle.add_alt_question(TENANT, faq.id, "등 띄우는 거 언제부터 해요", "tester")
    assert version.version == 2 and version.publishable
    edited = next(e for e in version.entries if e.id == faq.id)
    assert edited.alt_questions[-1] == "등 띄우는 거 언제부터 해요"
    assert version.report["diff"]["changed"][0]["fields"] == ["alt_questions"]


def test_a_publish_by_another_process_is_picked_up(lifecycle: FaqLifecycle) -> None:
    """The CLI is another process with its own Runtime over the same database and index folder."""
    server = lifecycle.runtime
    cli = Runtime(server.settings, encoder=server.encoder)
    cli_lifecycle = FaqLifecycle(cli)
    rows = [row(e) for e in cli.live_entries(TENANT)] + [row(NEW_FAQ)]
    draft = cli_lifecycle.import_file(TENANT, "faq.csv", csv_bytes(rows), "cli")
    cli_lifecycle.publish(TENANT, draft.version, "cli")
    assert server.serving_version(TENANT) == 1
    assert server.refresh() == [TENANT]
    assert server.search(TENANT, NEW_FAQ.question).hits[0].faq_id == NEW_FAQ.id
    assert server.refresh() == []


def test_a_reimport_analyses_only_new_questions_and_chat_bypasses_the_caches(
    lifecycle: FaqLifecycle,
) -> None:
    runtime = lifecycle.runtime
    analysed: list[str] = []
    inner = lifecycle.analyser.analyse

    class Recording:
        def __call__(self, text: str) -> list[str]:
            return self.many([text])[0]

        def many(self, texts: list[str]) -> list[list[str]]:
            analysed.extend(texts)
            return inner.many(texts)  # type: ignore[attr-defined]

    lifecycle.analyser.analyse = Recording()
    near = dataclasses.replace(NEW_FAQ, id="pet-2", question="반려견과 함께 유등 축제장에 들어갈 수 있나요")
    rows = [*(row(e) for e in runtime.live_entries(TENANT)), row(NEW_FAQ), row(near)]
    lifecycle.import_file(TENANT, "faq.csv", csv_bytes(rows), "tester")
    assert {NEW_FAQ.question, near.question} <= set(analysed)
    before = len(analysed)
    draft = lifecycle.import_file(TENANT, "faq.csv", csv_bytes(rows), "tester")
    assert len(analysed) == before  # every question's words came from the cache
    assert any(w["row"] == len(rows) + 1 for w in draft.report["warnings"])  # still a near-duplicate
    lifecycle.publish(TENANT, draft.version, "tester")
    served = runtime.index(TENANT)
    assert served.encoder is runtime.encoder and served.bm25.analyse is runtime.indexes.analyse
    assert runtime.search(TENANT, NEW_FAQ.question).hits[0].faq_id == NEW_FAQ.id
