"""Store errors, with the Korean and English messages operators see."""

from __future__ import annotations

from bot.errors import FaqbotError


class VersionNotFound(FaqbotError):
    status = 404
    code = "version_not_found"

    def __init__(self, tenant: str, version: int) -> None:
        super().__init__(
            f"{tenant}의 FAQ 버전 {version}이(가) 없습니다.", f"{tenant} has no FAQ version {version}"
        )


class SynonymVersionNotFound(FaqbotError):
    status = 404
    code = "version_not_found"

    def __init__(self, tenant: str, version: int) -> None:
        super().__init__(
            f"{tenant}의 유의어 버전 {version}이(가) 없습니다.", f"{tenant} has no synonym version {version}"
        )
