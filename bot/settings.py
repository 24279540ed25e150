"""The app process's one typed settings object (environment variables prefixed FAQBOT_)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from retrieval import RetrievalConfig


class Settings(BaseSettings):
    """Built by the entry point (CLI or test) and passed down; never created at import time."""

    model_config = SettingsConfigDict(env_prefix="FAQBOT_", env_nested_delimiter="__", frozen=True)

    data_dir: Path = Field(
        default=Path("data"), description="tenants/ and portals/ (settings and seed FAQ sets)"
    )
    state_dir: Path = Field(default=Path("var"), description="indexes, databases, Rasa models and logs")
    demo_source: Path = Field(
        default=Path("../shared/faq"), description="demo FAQ sets imported on first run"
    )
    host: str = "127.0.0.1"
    port: int = 8000
    retrieval: RetrievalConfig = RetrievalConfig()
    rasa_url: str | None = Field(default=None, description="Rasa server; None answers from retrieval alone")
    rasa_timeout: float = Field(default=2.0, description="seconds before the gateway answers without Rasa")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default SQLite in state_dir")
    redis_url: str | None = None
    admin_token: SecretStr | None = Field(default=None, description="deployment-wide operator token")

    @property
    def tenants_dir(self) -> Path:
        return self.data_dir / "tenants"

    @property
    def index_dir(self) -> Path:
        return self.state_dir / "indexes"

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.state_dir / 'faqbot.db').resolve()}"
