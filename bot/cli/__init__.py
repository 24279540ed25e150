"""The ``faqbot`` command line."""

from bot.cli import (  # noqa: F401  (registers commands)
    faq_commands,
    rasa_commands,
    retrieval_commands,
    serve_command,
    synonym_commands,
    token_commands,
)
from bot.cli.app import app


def main() -> None:
    app()
