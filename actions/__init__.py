"""faqbot's Rasa custom actions, served by the app process (bot/dialogue/action_endpoint.py).

Each action gets the app's Runtime injected, so it searches the same live indexes as the gateway.
"""

from __future__ import annotations

from rasa_sdk.executor import ActionExecutor

from actions.conversation import ActionGreet, ActionHandoff, ActionSmallTalk
from actions.faq import ActionAnswerFaq, ActionChooseFaq, ActionFeedback
from bot.runtime import Runtime

__all__ = ["ACTIONS", "build_executor"]

ACTIONS = (ActionGreet, ActionHandoff, ActionSmallTalk, ActionAnswerFaq, ActionChooseFaq, ActionFeedback)


def build_executor(runtime: Runtime) -> ActionExecutor:
    """An action executor whose actions all share ``runtime``."""
    executor = ActionExecutor()
    for action in ACTIONS:
        executor.register_action(action(runtime))
    return executor
