"""Operators' edits of a tenant's own synonyms: validate, store as the new live version, serve it.

Synonyms rewrite visitors' questions only, so a new version is live as soon as it is stored here
(no index build); other replicas hear of it like of a published FAQ version.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

from bot.operators.errors import SynonymsInvalid
from bot.runtime import Runtime
from bot.store import SynonymVersion
from nlu.lexicon import Lexicon, LexiconError

log = logging.getLogger(__name__)
MAX_TERMS = 2000
MAX_WORD = 50


def check_terms(terms: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """``terms`` cleaned (stripped, empty lists dropped), or SynonymsInvalid saying what is wrong."""
    if len(terms) > MAX_TERMS:
        raise SynonymsInvalid(f"표준어는 {MAX_TERMS}개까지입니다 (at most {MAX_TERMS} words)")
    cleaned: dict[str, list[str]] = {}
    for canonical, variants in terms.items():
        words = [v.strip() for v in variants]
        if any(len(w) > MAX_WORD for w in (canonical, *words)):
            raise SynonymsInvalid(f"'{canonical[:MAX_WORD]}' 항목의 말이 {MAX_WORD}자를 넘습니다")
        if words:
            cleaned[canonical.strip()] = words
    try:
        Lexicon.from_mapping(cleaned)
    except LexiconError as exc:
        raise SynonymsInvalid(str(exc).removeprefix("<mapping>: ")) from exc
    return cleaned


def synonym_diff(old: Mapping[str, Sequence[str]], new: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Canonical words added, removed and changed (other variants) from ``old`` to ``new``: what an
    operator reads before a save replaces the whole set."""
    return {
        "added": [w for w in new if w not in old],
        "removed": [w for w in old if w not in new],
        "changed": [w for w in new if w in old and list(old[w]) != list(new[w])],
    }


class SynonymEditor:
    def __init__(self, runtime: Runtime, on_live: Callable[[str, int], None] | None = None) -> None:
        self.runtime = runtime
        self.on_live = on_live

    def save(
        self, tenant: str, terms: Mapping[str, Sequence[str]], source: str, actor: str
    ) -> SynonymVersion:
        self.runtime.tenant(tenant)
        version = self.runtime.store.synonyms.save(tenant, check_terms(terms), source, actor)
        self._serve(version, actor, "synonyms")
        return version

    def preview(self, tenant: str, terms: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
        """What saving ``terms`` would change (SynonymsInvalid as a save would raise it)."""
        self.runtime.tenant(tenant)
        return synonym_diff(self.runtime.live_synonyms(tenant).terms, check_terms(terms))

    def rollback(self, tenant: str, version: int, actor: str) -> SynonymVersion:
        self.runtime.tenant(tenant)
        found = self.runtime.store.synonyms.make_live(tenant, version)
        self._serve(found, actor, "synonyms_rollback")
        return found

    def _serve(self, version: SynonymVersion, actor: str, action: str) -> None:
        self.runtime.use_synonyms(version)
        self.runtime.store.audit.record(
            actor, version.tenant, action, version=version.version, terms=len(version.terms)
        )
        if self.on_live is not None:
            self.on_live(version.tenant, version.version)
        log.info("%s: synonyms version %d is live (%s by %s)", version.tenant, version.version, action, actor)
