"""The ``faqbot`` command line."""

import sys

from bot.cli import (  # noqa: F401  (registers commands)
    faq_commands,
    rasa_commands,
    retrieval_commands,
    serve_command,
    synonym_commands,
    token_commands,
)
from bot.cli.app import app, report_error
from bot.errors import DeploymentFileError, FaqbotError


def main() -> None:
    """Every command; an error the operator can fix is one line and exit code 2, never a traceback."""
    try:
        app()
    except FaqbotError as exc:
        report_error(exc)
        sys.exit(2)
    except OSError as exc:
        # A file of the deployment (permissions, a full disk, a directory where a file should be).
        where = exc.filename or "?"
        report_error(
            DeploymentFileError(
                f"{where}: {exc.strerror} — 이 경로의 권한과 디스크 공간을 확인하세요.",
                f"{where}: {exc.strerror} — check this path's permissions and free space.",
            )
        )
        sys.exit(2)
