"""Foreign-language questions against the Korean FAQ: which per-language tuning to start from.

Run: .venv/bin/python bench/crosslingual.py
For each candidate tuning (fusion weights, suggest threshold) of ``RetrievalConfig.languages``,
``../shared/eval/crosslingual.csv`` through Runtime.search with the question's language: resolved
(answered right, or the right FAQ among the three suggestions), wrong answers, and the share of
our own foreign off-topic questions (below; none from the eval set) that still fall back.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402

from bench.region_common import ask_chat, demo_runtime  # noqa: E402
from bot.app import create_app  # noqa: E402
from bot.runtime import Runtime  # noqa: E402
from bot.search_cache import LruCache  # noqa: E402
from retrieval import LanguageTuning, RetrievalConfig, foreign_tuning  # noqa: E402
from retrieval.config import SAME_LANGUAGE_COSINE  # noqa: E402

SHARED = ROOT.parent / "shared"
# Off-topic for every demo tenant (written for this benchmark, none from the eval set).
OFF_TOPIC = (
    ("en", "what is the capital of australia"),
    ("en", "can you recommend a good laptop for gaming"),
    ("en", "how do I bake sourdough bread"),
    ("en", "who won the football world cup in 2018"),
    ("en", "what's the weather like in Seoul tomorrow"),
    ("en", "how do I reset my iPhone"),
    ("en", "recommend a good movie to watch tonight"),
    ("en", "what is the exchange rate of dollar to won"),
    ("en", "how to lose weight fast"),
    ("en", "who is the president of France"),
    ("ja", "明日の東京の天気はどうですか"),
    ("ja", "おすすめのアニメを教えてください"),
    ("ja", "大阪のおすすめのラーメン屋はどこですか"),
    ("ja", "iPhoneの充電が早く減る理由は"),
    ("ja", "円とドルの為替レートは"),
    ("ja", "プログラミングを勉強する方法"),
    ("ja", "富士山の高さは何メートルですか"),
    ("ja", "おいしいカレーの作り方"),
    ("zh", "比特币今天的价格是多少"),
    ("zh", "怎么学习弹钢琴"),
    ("zh", "今天首尔的天气怎么样"),
    ("zh", "推荐一部好看的电影"),
    ("zh", "怎么做红烧肉"),
    ("zh", "苹果手机怎么截图"),
    ("zh", "美元兑人民币汇率是多少"),
    ("zh", "去日本旅游需要签证吗"),
    ("zh", "如何学习编程"),
    ("zh", "明天的足球比赛谁会赢"),
    ("zh", "北京到上海的高铁票多少钱"),
    ("zh", "怎么减肥最快"),
)
LANGUAGES = ("en", "ja", "zh")


def _every(tuning: LanguageTuning) -> dict[str, LanguageTuning]:
    return dict.fromkeys(LANGUAGES, tuning)


def _same_language(shift: float) -> dict[str, LanguageTuning]:
    return {
        lang: foreign_tuning(same_language_cosine=cosine + shift)
        for lang, cosine in SAME_LANGUAGE_COSINE.items()
    }


CANDIDATES: dict[str, dict[str, LanguageTuning]] = {
    "korean defaults": {},
    **{f"passage cos from {c}": _every(foreign_tuning(c, 0.0)) for c in (0.78, 0.8)},
    **{
        f"q·{share} + passage from {c}": _every(foreign_tuning(c, share))
        for share in (0.3, 0.5, 0.7)
        for c in (0.8, 0.81, 0.82)
    },
    **{
        f"q·0.5 + p from 0.81, own lang {shift:+.2f}": _same_language(shift)
        for shift in (-0.02, -0.01, 0.0, 0.01, 0.02)
    },
}


def main() -> None:
    with (SHARED / "eval" / "crosslingual.csv").open(encoding="utf-8") as fh:
        cases = list(csv.DictReader(fh))
    runtime = demo_runtime()
    # The tuning changes under the cache's keys: measure every search.
    runtime.search_cache = LruCache(0)
    tenants = sorted({c["tenant"] for c in cases})
    header = f"{'tuning':36} {'resolved':>8} {'en':>5} {'ja':>5} {'zh':>5} {'wrong':>6}"
    print(f"{header}  off-topic fallback (en/ja/zh)")
    for name, languages in CANDIDATES.items():
        for tenant in tenants:
            index = runtime.index(tenant)
            index.config = index.config.model_copy(update={"languages": languages})
        per: dict[str, list[bool]] = {}
        wrong = 0
        for case in cases:
            result = runtime.search(case["tenant"], case["query"], 5, case["lang"])
            ids = [h.faq_id for h in result.hits]
            if result.decision == "answer":
                ok = ids[0] == case["faq_id"]
                wrong += not ok
            else:
                ok = result.decision == "suggest" and case["faq_id"] in ids[:3]
            per.setdefault(case["lang"], []).append(ok)
        falls: dict[str, list[bool]] = {}
        for lang, q in OFF_TOPIC:
            falls.setdefault(lang, []).extend(
                runtime.search(t, q, 5, lang).decision == "fallback" for t in tenants
            )
        every = [f for fs in falls.values() for f in fs]
        resolved = sum(sum(v) for v in per.values()) / len(cases)
        rates = " ".join(f"{sum(per[lang]) / len(per[lang]):5.2f}" for lang in LANGUAGES)
        off = "/".join(f"{sum(falls[lang]) / len(falls[lang]):.2f}" for lang in LANGUAGES)
        print(f"{name:36} {resolved:8.2f} {rates} {wrong:6d}  {sum(every) / len(every):.2f} ({off})")
    for tenant in tenants:
        index = runtime.index(tenant)
        index.config = index.config.model_copy(update={"languages": RetrievalConfig().languages})
    through_chat_api(runtime, cases)


def through_chat_api(runtime: Runtime, cases: list[dict[str, str]]) -> None:
    """The shipped tuning through POST /api/v1/chat (direct path): resolved = answered right, or the
    right FAQ among the buttons; and the reply's language."""
    per: dict[str, list[tuple[bool, bool]]] = {}
    with TestClient(create_app(runtime.settings, runtime)) as client:
        for case in cases:
            resolved, reply = ask_chat(client, case["tenant"], case["query"], case["faq_id"])
            per.setdefault(case["lang"], []).append((resolved, reply["language"] == case["lang"]))
    every = [r for rows in per.values() for r in rows]
    print("\nchat API (shipped tuning):  resolved  language")
    for language, rows in [("all", every), *sorted(per.items())]:
        resolved = sum(r for r, _ in rows) / len(rows)
        right_language = sum(lang for _, lang in rows) / len(rows)
        print(f"  {language:4} {len(rows):3} {resolved:9.2f} {right_language:9.2f}")


if __name__ == "__main__":
    main()
