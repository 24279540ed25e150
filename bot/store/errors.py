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


class BaseNotLive(FaqbotError):
    """A draft was made from a version that is no longer live: publishing it would undo the edits
    published since."""

    status = 409
    code = "base_not_live"

    def __init__(self, tenant: str, version: int, base: int, live: int) -> None:
        super().__init__(
            f"버전 {version}은(는) 버전 {base}을(를) 바탕으로 만들었지만 그 사이 버전 {live}이(가) "
            "게시되었습니다. 현재 버전에 맞춰 다시 편집하거나 파일을 다시 가져와 주세요 "
            "(rebase or re-import).",
            f"{tenant}: version {version} was made from version {base}, but version {live} is live now; "
            "rebase or re-import",
        )
        self.live = live


class ConcurrentPublish(FaqbotError):
    """Another process made a version live at the same moment (the one-live index refused this one)."""

    status = 409
    code = "concurrent_publish"

    def __init__(self, tenant: str, version: int) -> None:
        super().__init__(
            f"다른 곳에서 동시에 다른 버전을 게시했습니다. 버전 {version}은(는) 게시되지 않았습니다. "
            "버전 목록을 확인한 뒤 다시 시도해 주세요.",
            f"{tenant}: another version went live at the same moment; version {version} was not published",
        )


class NotADraft(FaqbotError):
    status = 409
    code = "not_a_draft"

    def __init__(self, version: int) -> None:
        super().__init__(
            f"버전 {version}은(는) 게시된 적이 있어 지울 수 없습니다 (되돌리기에 필요합니다).",
            f"version {version} has been published and is kept for rollback",
        )
