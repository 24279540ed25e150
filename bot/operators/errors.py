"""Errors of the FAQ lifecycle, in the one Korean + English shape."""

from __future__ import annotations

from bot.errors import FaqbotError


class DraftHasErrors(FaqbotError):
    status = 409
    code = "draft_has_errors"

    def __init__(self, version: int, errors: int) -> None:
        super().__init__(
            f"버전 {version}에 오류가 {errors}건 있어 게시할 수 없습니다. 파일을 고쳐 다시 올려 주세요.",
            f"version {version} has {errors} errors and cannot be published",
        )


class PublishInProgress(FaqbotError):
    status = 409
    code = "publish_in_progress"

    def __init__(self, tenant: str, version: int) -> None:
        super().__init__(
            f"버전 {version}을(를) 게시하는 중입니다. 끝난 뒤 다시 시도해 주세요.",
            f"{tenant}: version {version} is being published",
        )


class NotRollbackTarget(FaqbotError):
    status = 409
    code = "not_rollback_target"

    def __init__(self, version: int) -> None:
        super().__init__(
            f"버전 {version}은(는) 게시된 적이 없는 초안입니다. 되돌리기 대신 게시를 사용해 주세요.",
            f"version {version} was never published; publish it instead of rolling back",
        )


class FaqNotFound(FaqbotError):
    status = 404
    code = "faq_not_found"

    def __init__(self, faq_id: str) -> None:
        shown = faq_id[:80]
        super().__init__(f"현재 FAQ에 '{shown}' 항목이 없습니다.", f"no live FAQ '{shown}'")


class SynonymsInvalid(FaqbotError):
    status = 422
    code = "synonyms_invalid"

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"유의어 목록을 저장할 수 없습니다: {reason}. '표준어: [바꿀 말, …]' 형식으로 적어 주세요.",
            f"invalid synonyms: {reason}",
        )


class DeletionsNeedConfirmation(FaqbotError):
    status = 409
    code = "deletions_need_confirmation"

    def __init__(self, version: int, removed: int, live: int) -> None:
        super().__init__(
            f"버전 {version}은(는) 게시 중인 FAQ {live}개 중 {removed}개를 지웁니다. 의도한 것이면 "
            "삭제를 확인하고 게시해 주세요 (--allow-deletions).",
            f"version {version} removes {removed} of {live} live FAQs; confirm with allow_deletions",
        )


class DraftConflicts(FaqbotError):
    """The draft and a version published after its base changed the same FAQs."""

    status = 409
    code = "base_not_live"

    def __init__(self, version: int, base: int, live: int) -> None:
        super().__init__(
            f"버전 {version}은(는) 버전 {base}을(를) 바탕으로 만들었지만 그 사이 게시된 버전 {live}이(가) "
            "같은 FAQ를 고쳤습니다. 현재 버전에 맞춰 다시 편집하거나 파일을 다시 가져와 주세요 "
            "(rebase or re-import).",
            f"version {version} was made from version {base}, and version {live} (live now) changed the "
            "same FAQs; rebase or re-import",
        )
