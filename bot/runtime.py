"""The app's live state: tenants, their loaded indexes, and search by tenant id.

Built once by the entry point from Settings; the gateway, the actions and the CLI share it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace

from bot.demo import import_demo_faqs
from bot.dense_builds import DenseBuilds
from bot.faqsets.files import read_faq_file
from bot.files import ensure_writable_dir
from bot.off_topic import off_topic_questions
from bot.search_cache import LruCache
from bot.settings import Settings
from bot.store import FaqVersion, Store, SynonymVersion
from bot.store.caching import CachingEncoder
from bot.tenancy import TenantRegistry, TenantSettings
from bot.tenancy.language import TenantLexicons, seed_synonyms
from bot.tenancy.mentions import MentionFinder
from nlu.korean import content_morphemes
from nlu.lexicon import Lexicon, lexicon_files
from retrieval import Background, Encoder, FaqEntry, FaqIndex, IndexStore, SearchResult, make_encoder, search

log = logging.getLogger(__name__)


class Runtime:
    def __init__(
        self,
        settings: Settings,
        encoder: Encoder | None = None,
        store: Store | None = None,
        background_dense: bool = False,
    ) -> None:
        """``background_dense``: a FAQ set whose dense vectors are not built yet is served on its
        lexical signals at once and completed in the background (a server); otherwise loading
        builds every signal first (the CLI's one-shot commands, tests)."""
        self.settings = settings
        ensure_writable_dir(settings.state_dir)
        import_demo_faqs(settings)
        self.tenants = TenantRegistry.load(settings.tenants_dir)
        self.encoder = encoder or make_encoder(settings.retrieval.encoder)
        self.store = store or Store(settings.sqlalchemy_url)
        lexicon = Lexicon.load(lexicon_files(settings.data_dir / "lexicon"))
        builder = CachingEncoder(self.encoder, self.store.text_cache)
        self.indexes = IndexStore(
            settings.index_dir,
            self.encoder,
            content_morphemes,
            settings.retrieval,
            rewrite=lexicon.apply,
            analysis=f"{content_morphemes.identity}|lexicon:{lexicon.fingerprint}",
            builder=builder,
            background=Background.encode(off_topic_questions(settings.data_dir), builder),
        )
        self.background_dense = background_dense
        self.dense_builds = DenseBuilds(self._complete_dense)
        self._live: dict[str, FaqIndex] = {}
        self.search_cache: LruCache[SearchResult] = LruCache(settings.search_cache_size)
        self._tenant_lexicons = TenantLexicons(settings.data_dir)
        self._names = MentionFinder(self.tenants)
        # Per tenant: the tenants its served FAQ set's own texts name (found when it is swapped in).
        self._named_in_faq: dict[str, frozenset[str]] = {}
        self._synonyms: dict[str, SynonymVersion] = {}
        self._serving: dict[str, int] = {}
        # Per tenant: the last complete index served while a newer one waits for its vectors.
        self._donors: dict[str, FaqIndex] = {}
        # Serialises whole loads and the final live-switch of a publish, so a server's poller and a
        # publish in the same process never install versions out of order.
        self.build_lock = threading.RLock()

    def tenant(self, tenant_id: str) -> TenantSettings:
        return self.tenants.get(tenant_id)

    def live_version(self, tenant_id: str) -> FaqVersion:
        """The tenant's live FAQ version in the store; version 1 is seeded from ``faq.csv`` if none."""
        self.tenant(tenant_id)
        version = self.store.versions.live(tenant_id)
        if version is None:
            entries = read_faq_file(self.tenants.seed_faq(tenant_id))
            report: dict[str, list[object]] = {"errors": [], "warnings": []}
            version = self.store.versions.create(tenant_id, entries, report, "faq.csv", "seed", state="live")
            self.store.audit.record("seed", tenant_id, "seed", version=version.version, faqs=len(entries))
        return version

    def live_synonyms(self, tenant_id: str) -> SynonymVersion:
        """The tenant's live synonyms in the store; version 1 is seeded from ``synonyms.yml`` if none."""
        version = self.store.synonyms.live(tenant_id)
        if version is None:
            terms = seed_synonyms(self.settings.data_dir, self.tenant(tenant_id))
            version = self.store.synonyms.save(tenant_id, terms, "synonyms.yml", "seed")
        return version

    def use_synonyms(self, version: SynonymVersion) -> None:
        """Rewrite the tenant's questions with ``version`` from now on."""
        self._synonyms[version.tenant] = version

    def live_entries(self, tenant_id: str) -> list[FaqEntry]:
        """The FAQ set a tenant should serve now."""
        return list(self.live_version(tenant_id).entries)

    def load(self, tenant_id: str, progress: Callable[[int], None] | None = None) -> FaqIndex:
        """Load (building if stale) and swap in the tenant's live index."""
        with self.build_lock:
            version = self.live_version(tenant_id)
            index = self.indexes.ensure(tenant_id, version.entries, progress, dense=not self.background_dense)
            self.install(tenant_id, version.version, index)
        return index

    def install(self, tenant_id: str, version: int, index: FaqIndex) -> None:
        """Serve ``index`` as the tenant's FAQ ``version`` from now on; one without its dense vectors
        is completed in the background, from the vectors of the last complete index served where
        its FAQs are unchanged (an edit encodes only what it changed)."""
        previous = self._live.get(tenant_id)
        if index.has_dense:
            self._donors.pop(tenant_id, None)
        elif previous is not None and previous.has_dense:
            self._donors[tenant_id] = previous
        self.swap(tenant_id, index)
        self._serving[tenant_id] = version
        if not index.has_dense:
            self.dense_builds.request(tenant_id, index)

    def _complete_dense(self, tenant_id: str, index: FaqIndex, progress: Callable[[int], None]) -> None:
        """Build ``index``'s vectors and swap the completed index in, unless the tenant has moved on
        to another FAQ set meanwhile (then the vectors stay in the text cache for a rollback)."""
        if self._live.get(tenant_id) is not index:
            return
        done = 0

        def step(n: int) -> None:
            nonlocal done
            done += n
            progress(n)
            self.indexes.note_progress(tenant_id, index.faq_hash, done, len(index.entries))

        complete = self.indexes.complete(tenant_id, index, step, self._donors.get(tenant_id))
        with self.build_lock:
            if self._live.get(tenant_id) is index:
                self.indexes.point(tenant_id, complete.directory)
                self.swap(tenant_id, complete)
                self._donors.pop(tenant_id, None)

    def encode_ahead(self, tenant_id: str, entries: Sequence[FaqEntry]) -> None:
        """Encode into the text cache, in the background, the texts a draft of ``entries`` brings
        to the tenant's served set, when they are few (an edit): its publish finds them cached."""
        served = self._live.get(tenant_id)
        if not self.background_dense or served is None or not served.has_dense:
            return
        limit = self.settings.encode_ahead_texts
        changed = served.changed_entries(entries)
        # Each FAQ has a question and a passage, so a large new file is turned away before its
        # texts are made (~0.4 s of lexicon rewriting at 10,000 FAQs, on the import's thread).
        if not changed or 2 * len(changed) > limit:
            return
        questions, passages = served.dense_texts_of(changed)
        if len(questions) + len(passages) > limit:
            return
        builder = self.indexes.builder

        def encode() -> None:
            builder.encode(questions)
            builder.encode_passages(passages)

        self.dense_builds.encode_ahead(encode)

    def serving_version(self, tenant_id: str) -> int | None:
        return self._serving.get(tenant_id)

    def refresh(self) -> list[str]:
        """Load every tenant whose live FAQ or synonym version changed in the store (e.g. published
        by the CLI or another replica)."""
        changed = []
        for tenant_id, version in self.store.versions.live_numbers().items():
            if tenant_id not in self.tenants or self._serving.get(tenant_id, version) == version:
                continue
            with self.build_lock:
                # Checked again under the lock: a publish in this process may have just installed it.
                live = self.store.versions.live_numbers().get(tenant_id)
                if live is not None and self._serving.get(tenant_id) != live:
                    self.load(tenant_id)
                    changed.append(tenant_id)
        for tenant_id, version in self.store.synonyms.live_numbers().items():
            used = self._synonyms.get(tenant_id)
            if used is not None and used.version != version:
                self.use_synonyms(self.live_synonyms(tenant_id))
                if tenant_id not in changed:
                    changed.append(tenant_id)
        return changed

    def load_all(self) -> None:
        for tenant in self.tenants:
            self.load(tenant.id)

    def swap(self, tenant_id: str, index: FaqIndex) -> None:
        # Scanning a 10,000-FAQ set for tenant names takes ~0.7 s: done here, not on a chat turn.
        texts = " ".join(" ".join((e.question, *e.alt_questions, e.answer)) for e in index.entries)
        self._named_in_faq[tenant_id] = frozenset(self._names.find(texts))
        # A dict item assignment is atomic: a concurrent search sees the old index or the new one.
        self._live[tenant_id] = index
        log.info("tenant %s serves index %s (%d FAQs)", tenant_id, index.faq_hash[:12], len(index.entries))

    def index(self, tenant_id: str) -> FaqIndex:
        self.tenant(tenant_id)
        if tenant_id not in self._live:
            return self.load(tenant_id)
        return self._live[tenant_id]

    def is_loaded(self, tenant_id: str) -> bool:
        return tenant_id in self._live

    def is_ready(self) -> bool:
        return all(self.is_loaded(t.id) for t in self.tenants)

    def normalise(self, tenant_id: str, query: str) -> str:
        """The question with the tenant's regional dialect and own synonyms rewritten to FAQ words."""
        tenant = self.tenant(tenant_id)
        synonyms = self._synonyms.get(tenant_id)
        if synonyms is None:
            synonyms = self._synonyms[tenant_id] = self.live_synonyms(tenant_id)
        return self._tenant_lexicons.get(tenant, synonyms.version, synonyms.terms).apply(query)

    def search(self, tenant_id: str, query: str, k: int = 5, language: str = "ko") -> SearchResult:
        """The tenant's FAQ search; ``language`` is the question's (ISO 639-1), which picks its tuning."""
        tenant = self.tenant(tenant_id)
        index, text = self.index(tenant_id), self.normalise(tenant_id, query)
        key = (tenant_id, index.faq_hash, index.has_dense, text, k, language)
        return self.search_cache.get_or_compute(key, lambda: self._search(tenant, index, text, k, language))

    def tenants_named(self, text: str) -> list[str]:
        """The deployment's tenants ``text`` names (short name or alias), in order of appearance."""
        return self._names.find(text)

    def named_elsewhere(self, tenant_id: str, query: str) -> tuple[TenantSettings, ...]:
        """The other tenants a question is about instead of this one: those it names, when it does
        not name this tenant and this tenant's FAQ names none of them (the mud festival's food
        trucks asked of the university)."""
        self.index(tenant_id)  # loaded, so its FAQ set's names are known
        return self._named_elsewhere(tenant_id, self.normalise(tenant_id, query))

    def _search(
        self, tenant: TenantSettings, index: FaqIndex, text: str, k: int, language: str
    ) -> SearchResult:
        # A tenant's thresholds are for the whole engine, not for the interim lexical profile.
        thresholds = tenant.thresholds.over(index.profile.thresholds) if index.has_dense else None
        # Every FAQ of the set is about the tenant: its name ranks none of them above the others.
        # Not while BM25 is all there is: the name is then often the one word that finds the FAQ
        # ("등불축제 언제 해요?").
        ranked_as = self._names.without(text, tenant.id) if index.has_dense else None
        result = search(index, text, thresholds, k=k, language=language, ranked_as=ranked_as)
        # Another organisation's business, however many words this FAQ set shares with it; the
        # results stay as they are.
        if result.decision != "fallback" and self._named_elsewhere(tenant.id, text):
            return replace(result, decision="fallback")
        return result

    def _named_elsewhere(self, tenant_id: str, text: str) -> tuple[TenantSettings, ...]:
        named = self._names.find(text)
        if not named or tenant_id in named or self._named_in_faq[tenant_id].intersection(named):
            return ()
        return tuple(self.tenant(t) for t in named)
