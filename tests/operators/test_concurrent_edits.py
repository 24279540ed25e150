"""Optimistic concurrency and the deletion guard of the FAQ lifecycle (real SQLite, real indexes)."""

from __future__ import annotations

import pytest

from bot.operators import FaqLifecycle
from bot.operators.errors import DeletionsNeedConfirmation, DraftConflicts
from bot.operators.rebase import rebase
from bot.runtime import Runtime
from bot.store import BaseNotLive
from tests.operators.files import NEW_FAQ, csv_bytes, row

TENANT = "namgang-lantern"


@pytest.fixture
def lifecycle(runtime: Runtime) -> FaqLifecycle:
    runtime.load(TENANT)
    return FaqLifecycle(runtime)


def alts(lifecycle: FaqLifecycle, faq_id: str) -> tuple[str, ...]:
    return next(e for e in lifecycle.runtime.live_entries(TENANT) if e.id == faq_id).alt_questions


def test_two_edits_of_one_faq_from_one_version_lose_nothing(lifecycle: FaqLifecycle) -> None:
    """The lost update of the review: both drafts start from version 1; the second is refused."""
    faq = lifecycle.runtime.live_entries(TENANT)[0].id
    first = lifecycle.add_alt_question(TENANT, faq, "유등 띄우는 날 언제예요", "a")
    second = lifecycle.add_alt_question(TENANT, faq, "등 행사 며칠부터 해요", "b")
    assert (first.base, second.base) == (1, 1)
    lifecycle.publish(TENANT, first.version, "a")
    with pytest.raises(DraftConflicts) as refused:
        lifecycle.publish(TENANT, second.version, "b")
    assert refused.value.status == 409 and "rebase or re-import" in refused.value.message_en
    assert lifecycle.runtime.live_version(TENANT).version == first.version
    assert "유등 띄우는 날 언제예요" in alts(lifecycle, faq)


def test_edits_of_different_faqs_are_rebased_and_both_survive(lifecycle: FaqLifecycle) -> None:
    live = lifecycle.runtime.live_entries(TENANT)
    one, other = live[0].id, live[5].id
    first = lifecycle.add_alt_question(TENANT, one, "유등 띄우는 날 언제예요", "a")
    second = lifecycle.set_answer(TENANT, other, "바뀐 답변입니다.", "b")
    lifecycle.publish(TENANT, first.version, "a")
    published = lifecycle.publish(TENANT, second.version, "b")
    assert published.version == second.version + 1 and published.base == first.version
    now = lifecycle.runtime.live_version(TENANT)
    assert now.version == published.version
    assert "유등 띄우는 날 언제예요" in alts(lifecycle, one)
    assert next(e for e in now.entries if e.id == other).answer == "바뀐 답변입니다."
    assert [e.id for e in now.entries] == [e.id for e in live]
    assert lifecycle.runtime.serving_version(TENANT) == published.version


def test_a_file_draft_made_before_another_publish_is_rebased_onto_it(lifecycle: FaqLifecycle) -> None:
    live = lifecycle.runtime.live_entries(TENANT)
    added = lifecycle.import_file(TENANT, "new.csv", csv_bytes([row(e) for e in live] + [row(NEW_FAQ)]), "a")
    removed = lifecycle.import_file(TENANT, "less.csv", csv_bytes([row(e) for e in live[:-1]]), "b")
    lifecycle.publish(TENANT, added.version, "a")
    published = lifecycle.publish(TENANT, removed.version, "b")
    ids = [e.id for e in lifecycle.runtime.live_version(TENANT).entries]
    assert published.version != removed.version
    assert ids == [e.id for e in live[:-1]] + [NEW_FAQ.id]


def test_the_database_refuses_a_stale_base_even_past_the_checks(lifecycle: FaqLifecycle) -> None:
    """Two publishers that both passed check_publishable: the live switch itself compares the base."""
    faq = lifecycle.runtime.live_entries(TENANT)[0].id
    first = lifecycle.add_alt_question(TENANT, faq, "유등 띄우는 날 언제예요", "a")
    second = lifecycle.add_alt_question(TENANT, faq, "등 행사 며칠부터 해요", "b")
    checked = [lifecycle.check_publishable(TENANT, v.version, "x") for v in (first, second)]
    lifecycle.go_live(checked[0], "a", "publish")
    with pytest.raises(BaseNotLive):
        lifecycle.go_live(checked[1], "b", "publish")
    assert lifecycle.store.versions.live_numbers()[TENANT] == first.version
    assert lifecycle.runtime.serving_version(TENANT) == first.version


def test_rebase_keeps_removals_of_both_sides() -> None:
    base = [NEW_FAQ.__class__(str(i), "", f"질문 {i}", f"답 {i}") for i in range(4)]
    draft = base[1:]  # removes 0
    live = base[:3]  # removes 3
    merged = rebase(base, draft, live)
    assert merged is not None and [e.id for e in merged] == ["1", "2"]
    assert rebase(base, draft, base[1:]) is None  # both removed 0: only an operator can decide


def test_a_98_percent_deletion_warns_and_needs_confirmation(lifecycle: FaqLifecycle) -> None:
    live = lifecycle.runtime.live_entries(TENANT)
    draft = lifecycle.import_file(TENANT, "one.csv", csv_bytes([row(live[0])]), "op")
    warning = next(w for w in draft.report["warnings"] if w["column"] == "file")
    assert f"{len(live)}개 중 {len(live) - 1}개" in warning["message"]
    assert draft.report["mass_deletion"] == {"removed": len(live) - 1, "live": len(live)}
    with pytest.raises(DeletionsNeedConfirmation) as refused:
        lifecycle.publish(TENANT, draft.version, "op")
    assert refused.value.status == 409
    assert lifecycle.runtime.live_version(TENANT).version == 1
    lifecycle.publish(TENANT, draft.version, "op", allow_deletions=True)
    assert len(lifecycle.runtime.live_entries(TENANT)) == 1


def test_a_small_deletion_needs_no_confirmation(lifecycle: FaqLifecycle) -> None:
    live = lifecycle.runtime.live_entries(TENANT)
    draft = lifecycle.import_file(TENANT, "less.csv", csv_bytes([row(e) for e in live[1:]]), "op")
    assert "mass_deletion" not in draft.report
    assert all(w["column"] != "file" for w in draft.report["warnings"])
    lifecycle.publish(TENANT, draft.version, "op")


def test_a_draft_can_be_discarded_but_a_published_version_cannot(lifecycle: FaqLifecycle) -> None:
    live = lifecycle.runtime.live_entries(TENANT)
    draft = lifecycle.import_file(TENANT, "x.csv", csv_bytes([row(e) for e in live]), "op")
    lifecycle.discard(TENANT, draft.version, "op")
    assert [v.version for v in lifecycle.store.versions.list(TENANT)] == [1]
    with pytest.raises(Exception) as refused:
        lifecycle.discard(TENANT, 1, "op")
    assert getattr(refused.value, "code", None) == "not_a_draft"
