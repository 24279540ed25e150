"""The search-result cache: repeated questions are served from it, a swap is never served stale."""

from __future__ import annotations

from fastapi.testclient import TestClient

from bot.app import create_app
from bot.runtime import Runtime
from bot.search_cache import LruCache
from bot.settings import Settings
from nlu.korean import content_morphemes
from retrieval import FaqEntry, FaqIndex

TENANT = "namgang-lantern"


def build(runtime: Runtime, entries: list[FaqEntry]) -> FaqIndex:
    return FaqIndex(entries, runtime.encoder, content_morphemes, runtime.settings.retrieval).build()


def test_repeats_hit_and_a_new_index_misses(runtime: Runtime) -> None:
    parking = FaqEntry("parking", "교통", "주차장 어디예요?", "남강 둔치 주차장을 이용하세요.")
    runtime.install(TENANT, 1, build(runtime, [parking]))
    first = runtime.search(TENANT, "주차장 어디예요?")
    assert runtime.search(TENANT, "주차장 어디예요?") is first
    assert (runtime.search_cache.hits, runtime.search_cache.misses) == (1, 1)
    moved = FaqEntry("parking-2", "교통", "주차장 어디예요?", "진주성 앞 임시 주차장을 이용하세요.")
    runtime.install(TENANT, 2, build(runtime, [moved]))
    after = runtime.search(TENANT, "주차장 어디예요?")
    assert after.hits[0].entry.id == "parking-2"  # not the cached answer of the old version
    assert runtime.search_cache.misses == 2


def test_lru_evicts_least_recent_and_zero_disables() -> None:
    cache: LruCache[int] = LruCache(2)
    for key in ("a", "b", "a", "c"):
        cache.get_or_compute(key, lambda: 1)
    assert len(cache) == 2 and (cache.hits, cache.misses) == (1, 3)
    cache.get_or_compute("b", lambda: 2)  # "b" was evicted (least recently used)
    assert cache.misses == 4
    off: LruCache[int] = LruCache(0)
    calls = [off.get_or_compute("a", lambda: 1) for _ in range(2)]
    assert calls == [1, 1] and len(off) == 0 and off.hits == 0


def test_cache_lookups_are_in_metrics(settings: Settings, runtime: Runtime) -> None:
    client = TestClient(create_app(settings, runtime))
    runtime.install(TENANT, 1, build(runtime, [FaqEntry("p", "교통", "주차장 어디예요?", "둔치 주차장")]))
    for _ in range(3):
        runtime.search(TENANT, "주차장 어디예요?")
    text = client.get("/metrics").text
    assert 'faqbot_search_cache_lookups_total{result="hit"} 2.0' in text
    assert 'faqbot_search_cache_lookups_total{result="miss"} 1.0' in text
    assert "faqbot_search_cache_entries 1.0" in text
