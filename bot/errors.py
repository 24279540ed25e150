"""Domain errors. Each carries a Korean and an English message; bot.api.errors turns them into HTTP."""

from __future__ import annotations


class FaqbotError(Exception):
    """Base class: ``message_ko`` for users and operators, ``message_en`` for logs and developers."""

    status = 400
    code = "error"

    def __init__(self, message_ko: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_ko = message_ko
        self.message_en = message_en


class UnknownTenant(FaqbotError):
    status = 404
    code = "unknown_tenant"

    def __init__(self, tenant_id: str) -> None:
        shown = tenant_id[:64]
        super().__init__(f"'{shown}' 챗봇을 찾을 수 없습니다.", f"unknown tenant '{shown}'")
        self.tenant_id = tenant_id


class TenantConfigError(FaqbotError):
    status = 500
    code = "tenant_config"


class DeploymentFileError(FaqbotError):
    """A file or directory of the deployment is missing, unreadable or not writable: the message
    names it and says what to do."""

    status = 500
    code = "deployment_file"
