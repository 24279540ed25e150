"""The conversation log: the SQL TurnRecorder (masking personal data first) and its queries."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select

from bot.chat.models import Turn
from bot.privacy import mask_personal_data
from bot.store.db import Database
from bot.store.models import TurnRow

log = logging.getLogger(__name__)
MAX_TEXT = 1000


class SqlTurnRecorder:
    """A TurnRecorder: one row per visitor message, personal data masked before it is stored."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def record(self, turn: Turn) -> None:
        try:
            with self.db.session() as s:
                s.add(
                    TurnRow(
                        at=turn.timestamp,
                        tenant=turn.tenant,
                        session_id=turn.session_id[:128],
                        text=mask_personal_data(turn.text[:MAX_TEXT]),
                        decision=turn.decision,
                        faq_id=turn.faq_id,
                        score=turn.score,
                        helpful=turn.helpful,
                    )
                )
        except Exception:
            # Logging a turn must never fail the visitor's chat request.
            log.exception("could not record a turn of %s", turn.tenant)

    def since(self, tenant: str, start: dt.datetime) -> list[TurnRow]:
        with self.db.session() as s:
            query = select(TurnRow).where(TurnRow.tenant == tenant, TurnRow.at >= start).order_by(TurnRow.at)
            return list(s.scalars(query))
