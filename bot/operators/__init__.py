"""The operator side: FAQ lifecycle (import, report, diff, publish, rollback, edits), synonym
versions and analytics."""

from bot.operators.jobs import Job, Publisher
from bot.operators.lifecycle import FaqLifecycle
from bot.operators.poller import LiveVersionPoller
from bot.operators.services import OperatorServices
from bot.operators.synonyms import SynonymEditor

__all__ = [
    "FaqLifecycle",
    "Job",
    "LiveVersionPoller",
    "OperatorServices",
    "Publisher",
    "SynonymEditor",
]
