"""Files several faqbot processes share: an exclusive lock between them, writes that never leave a
half-written file, and the state directory's check with an error an operator can act on."""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.errors import DeploymentFileError


def ensure_writable_dir(path: Path) -> None:
    """Create ``path`` if needed; DeploymentFileError naming it when this process cannot write there."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        raise DeploymentFileError(
            f"{path}에 쓸 수 없습니다 ({exc.strerror}) — 쓰기 권한이 있는 디렉터리를 만들거나 "
            "FAQBOT_STATE_DIR로 지정하세요.",
            f"cannot write to {path} ({exc.strerror}) — make it a writable directory or point "
            "FAQBOT_STATE_DIR at one.",
        ) from exc


@contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Held by one process (or thread) at a time; released when the block ends or the process dies."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_atomically(path: Path, data: bytes) -> None:
    """Readers see the old file (or none) or all of ``data``, never a part of it."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
