"""The ``faqbot`` command line."""

from bot.cli import retrieval_commands, serve_command  # noqa: F401  (registers commands)
from bot.cli.app import app


def main() -> None:
    app()
