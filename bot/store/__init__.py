"""The operator store: FAQ and synonym versions, tokens, audit log, conversation log and text cache."""

from __future__ import annotations

from bot.store.audit import AuditLog
from bot.store.db import Database, make_engine
from bot.store.errors import (
    BaseNotLive,
    ConcurrentPublish,
    NotADraft,
    SynonymVersionNotFound,
    VersionNotFound,
)
from bot.store.synonyms import SynonymRepository, SynonymVersion
from bot.store.text_cache import TextCache
from bot.store.tokens import Principal, TokenRepository
from bot.store.turns import SqlTurnRecorder
from bot.store.versions import FaqVersion, VersionRepository


class Store:
    """All repositories over one database; built by the entry point from ``settings.sqlalchemy_url``."""

    def __init__(self, url: str) -> None:
        self.db = Database(make_engine(url))
        self.versions = VersionRepository(self.db)
        self.synonyms = SynonymRepository(self.db)
        self.tokens = TokenRepository(self.db)
        self.audit = AuditLog(self.db)
        self.turns = SqlTurnRecorder(self.db)
        self.text_cache = TextCache(self.db)

    def close(self) -> None:
        self.db.engine.dispose()


__all__ = [
    "AuditLog",
    "BaseNotLive",
    "ConcurrentPublish",
    "FaqVersion",
    "NotADraft",
    "Principal",
    "SqlTurnRecorder",
    "Store",
    "SynonymRepository",
    "SynonymVersion",
    "SynonymVersionNotFound",
    "TextCache",
    "TokenRepository",
    "VersionNotFound",
    "VersionRepository",
]
