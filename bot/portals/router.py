"""Routes a portal's question to one of its tenants, or asks which one is meant.

Order of precedence: a tenant named in the question (or chosen with a button) wins; then the
tenant remembered for the session; otherwise every covered tenant is searched and one is answered
only when it is clearly best (retrieval score plus topic share) and no other holds the same FAQ;
when two are close or share the topic the user is asked, and when none has anything the portal's
own fallback is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

from bot.chat import payloads
from bot.portals.config import Routing
from bot.portals.registry import PORTALS_DIR, Portal, PortalRegistry
from bot.portals.topics import TopicModel
from bot.runtime import Runtime
from bot.tenancy.mentions import MentionFinder
from nlu.korean import content_morphemes
from retrieval import SearchResult

# Hits of each tenant compared with the other tenants' for a shared topic.
_TOPIC_HITS = 3

Reason = Literal["mention", "choice", "remembered", "inferred", "ambiguous", "fallback"]


@dataclass(frozen=True)
class PortalSession:
    """What a portal remembers between turns of one conversation."""

    tenant: str | None = None
    # The question that is waiting for the user to choose a tenant.
    pending: str | None = None


@dataclass(frozen=True)
class Routed:
    """One routing decision.

    ``tenant`` and ``result``: answer from that tenant (``result`` is None after a bare choice with
    no question waiting: greet as that tenant). ``clarify``: ask with one button per tenant id.
    Neither: the portal's own fallback (``elsewhere``: the deployment's tenants outside the portal
    that the question names instead). ``session`` is the state to keep for the next turn.
    """

    reason: Reason
    query: str
    session: PortalSession
    tenant: str | None = None
    result: SearchResult | None = None
    clarify: tuple[str, ...] = ()
    elsewhere: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    """What one tenant offers for a question: its search result, its share of the vocabulary, and
    the question vectors of its first hits (``topics``, row i for ``result.hits[i]``)."""

    result: SearchResult
    share: float
    topics: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32), compare=False)

    def strength(self, routing: Routing) -> float:
        return self.result.relevance + routing.topic_weight * self.share

    def matched_topics(self, routing: Routing) -> np.ndarray:
        """The topic vectors of the hits that match the question at all."""
        keep = [
            i
            for i, hit in enumerate(self.result.hits[: len(self.topics)])
            if hit.dense >= routing.twin_min_dense
        ]
        return self.topics[keep]


def shares_topic(routing: Routing, one: Evidence, other: Evidence) -> bool:
    """Do two tenants hold the same FAQ for this question (both festivals' rules on pets, both
    parking lots)? Then a lead of one of them says nothing about which the user means."""
    mine, theirs = one.matched_topics(routing), other.matched_topics(routing)
    return bool(len(mine) and len(theirs) and float((mine @ theirs.T).max()) >= routing.twin_similarity)


def decide(routing: Routing, evidence: dict[str, Evidence]) -> tuple[str | None, tuple[str, ...]]:
    """(tenant to answer, ()) when one is clearly strongest and no other holds the same FAQ;
    (None, tenants to offer) when several are close or share the topic; (None, ()) when none is
    strong enough and no two share the topic (out of scope for the portal)."""
    strength = {t: e.strength(routing) for t, e in evidence.items()}
    ranked = sorted(strength, key=lambda t: -strength[t])
    best = strength[ranked[0]]
    if len(ranked) == 1:
        return ranked[0], ()
    twins = {t for t in ranked[1:] if shares_topic(routing, evidence[ranked[0]], evidence[t])}
    if best < routing.floor:
        return None, (ranked[0], *(t for t in ranked if t in twins)) if twins else ()
    close = {t for t in ranked[1:] if best - strength[t] < routing.margin}
    if not close and not twins:
        return ranked[0], ()
    return None, tuple(t for t in ranked if t == ranked[0] or t in close or t in twins)


@dataclass(frozen=True)
class _Guess:
    tenant: str | None
    result: SearchResult | None
    clarify: tuple[str, ...]


class PortalRouter:
    """Self-contained routing service; the chat service, widget, Kakao skill and CLI share it."""

    def __init__(self, runtime: Runtime, portals: PortalRegistry) -> None:
        self.runtime = runtime
        self.portals = portals
        self._mentions = {p.id: MentionFinder(p.tenants) for p in portals}
        self._topics: dict[str, tuple[tuple[str, ...], TopicModel]] = {}

    @classmethod
    def load(cls, runtime: Runtime) -> PortalRouter:
        """The router over ``<data_dir>/portals/*.yml`` and the runtime's tenants."""
        return cls(runtime, PortalRegistry.load(runtime.settings.data_dir / PORTALS_DIR, runtime.tenants))

    def __contains__(self, portal_id: object) -> bool:
        return portal_id in self.portals

    def portal(self, portal_id: str) -> Portal:
        return self.portals.get(portal_id)

    def names_others(self, text: str) -> tuple[str, ...]:
        """The deployment's tenants ``text`` names; asked when it names none of the portal's: then it
        is about another region's tenant, which this portal must not guess at."""
        return tuple(self.runtime.tenants_named(text))

    def mentions(self, portal_id: str, text: str) -> list[str]:
        """The portal's tenants named in ``text`` (short name or alias), in order of appearance."""
        return self._mentions[portal_id].find(text)

    def route(
        self,
        portal_id: str,
        text: str,
        session: PortalSession | None = None,
        k: int = 5,
        language: str = "ko",
    ) -> Routed:
        """Where ``text`` goes; ``language`` (ISO 639-1) is the question's, for each tenant's search."""
        portal = self.portals.get(portal_id)
        session = session or PortalSession()
        covered = portal.tenant_ids()

        payload = payloads.parse(text)
        if isinstance(payload, payloads.ChooseTenant):
            if payload.tenant not in covered:
                return Routed("ambiguous", session.pending or "", session, clarify=covered)
            remembered = PortalSession(tenant=payload.tenant)
            if session.pending is None:
                return Routed("choice", "", remembered, tenant=payload.tenant)
            result = self.runtime.search(payload.tenant, session.pending, k, language)
            return Routed("choice", session.pending, remembered, payload.tenant, result)

        named = self.mentions(portal_id, text)
        others = () if named else self.names_others(text)
        if others:
            return Routed("fallback", text, replace(session, pending=None), elsewhere=others)
        if len(named) == 1:
            return self._answer("mention", named[0], text, k, language)
        if named:
            return self._guessed(portal, tuple(named), text, session, k, language)
        if session.tenant in covered:
            result = self.runtime.search(session.tenant, text, k, language)
            if result.decision == "answer":
                return Routed("remembered", text, replace(session, pending=None), session.tenant, result)
            # Not sure here: follow the user if another tenant clearly has the answer.
            guess = self._guess(portal, covered, text, k, language)
            if guess.tenant and guess.tenant != session.tenant:
                return self._answer("inferred", guess.tenant, text, k, language, guess.result)
            return Routed("remembered", text, replace(session, pending=None), session.tenant, result)
        return self._guessed(portal, covered, text, session, k, language)

    def _answer(
        self,
        reason: Reason,
        tenant_id: str,
        text: str,
        k: int,
        language: str,
        result: SearchResult | None = None,
    ) -> Routed:
        result = result or self.runtime.search(tenant_id, text, k, language)
        return Routed(reason, text, PortalSession(tenant=tenant_id), tenant_id, result)

    def _guessed(
        self,
        portal: Portal,
        candidates: tuple[str, ...],
        text: str,
        session: PortalSession,
        k: int,
        language: str,
    ) -> Routed:
        guess = self._guess(portal, candidates, text, k, language)
        if guess.tenant:
            return self._answer("inferred", guess.tenant, text, k, language, guess.result)
        if guess.clarify:
            return Routed("ambiguous", text, replace(session, pending=text), clarify=guess.clarify)
        # The fallback offers the tenants too: choosing one still answers this question.
        return Routed("fallback", text, replace(session, pending=text))

    def _guess(self, portal: Portal, candidates: tuple[str, ...], text: str, k: int, language: str) -> _Guess:
        evidence = self.evidence(portal.id, text, candidates, k, language)
        tenant, clarify = decide(portal.settings.routing.for_language(language), evidence)
        return _Guess(tenant, evidence[tenant].result if tenant else None, clarify)

    def evidence(
        self,
        portal_id: str,
        text: str,
        candidates: tuple[str, ...] | None = None,
        k: int = 5,
        language: str = "ko",
    ) -> dict[str, Evidence]:
        """Each candidate tenant's search result and topic share for ``text`` (all covered by
        default). The topics are the tenants' Korean words: a foreign question has no share."""
        portal = self.portals.get(portal_id)
        shares = self._topic_model(portal).shares(text) if language == "ko" else {}
        evidence = {}
        for t in candidates or portal.tenant_ids():
            result = self.runtime.search(t, text, k, language)
            first = [hit.faq_id for hit in result.hits[:_TOPIC_HITS]]
            evidence[t] = Evidence(result, shares.get(t, 0.0), self.runtime.index(t).question_vectors(first))
        return evidence

    def _topic_model(self, portal: Portal) -> TopicModel:
        """The portal's topic model, rebuilt when any covered tenant serves a new FAQ version."""
        indexes = {t: self.runtime.index(t) for t in portal.tenant_ids()}
        version = tuple(index.faq_hash for index in indexes.values())
        cached = self._topics.get(portal.id)
        if cached is None or cached[0] != version:
            model = TopicModel.build({t: index.entries for t, index in indexes.items()}, content_morphemes)
            cached = self._topics[portal.id] = (version, model)
        return cached[1]
