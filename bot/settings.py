"""The app process's one typed settings object (environment variables prefixed FAQBOT_)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from retrieval import RetrievalConfig


class ChatLimits(BaseModel):
    """Abuse limits of the public chat endpoints (token buckets per session and per client address)."""

    model_config = ConfigDict(frozen=True)

    enabled: bool = Field(default=True, description="off for load benchmarks on loopback")
    session_per_minute: float = Field(default=30, gt=0, description="steady messages a session may send")
    session_burst: int = Field(default=10, ge=1, description="messages a session may send at once")
    # A whole campus or festival Wi-Fi may share one address (NAT): sized for the deployment's design
    # load from one address, with room to spare (README, "Chat rate limits").
    client_per_minute: float = Field(default=3000, gt=0, description="steady requests per client address")
    client_burst: int = Field(default=300, ge=1, description="requests per client address at once")
    kakao_client_per_minute: float = Field(
        default=1200, gt=0, description="steady Kakao skill calls per client address (Open Builder's few)"
    )
    kakao_client_burst: int = Field(default=200, ge=1, description="Kakao skill calls per address at once")
    max_body_bytes: int = Field(default=16 * 1024, ge=1024, description="larger chat bodies get 413")


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
    host: str = Field(default="127.0.0.1", description="listen address of `faqbot serve`")
    port: int = Field(default=8000, description="listen port of `faqbot serve`")
    retrieval: RetrievalConfig = Field(
        default=RetrievalConfig(),
        description="encoder backend and model (`FAQBOT_RETRIEVAL__ENCODER__BACKEND`, `…__MODEL`), fusion",
    )
    rasa_url: str | None = Field(default=None, description="Rasa server; None answers from retrieval alone")
    rasa_timeout: float = Field(default=2.0, description="seconds before the gateway answers without Rasa")
    rasa_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description="loopback port of the Rasa server `faqbot serve` starts; none: a free port per serve",
    )
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL (Postgres for replicas and Rasa trackers); default SQLite"
    )
    redis_url: str | None = Field(
        default=None,
        description="Redis shared by replicas: rate limits, chat sessions, Rasa locks, publish notices",
    )
    admin_token: SecretStr | None = Field(default=None, description="deployment-wide operator token")
    log_level: str = Field(default="INFO", description="root log level of the app process")
    log_json: bool = Field(default=True, description="one JSON object a log line (with request_id)")
    max_upload_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1024, description="larger operator uploads get 413 before parsing"
    )
    forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description="proxies whose X-Forwarded-For names the client (comma-separated addresses or "
        "networks); behind a load balancer on another host, its address",
    )
    auth_failure_limit: int = Field(
        default=10, ge=1, description="failed operator logins per client address per window before 429"
    )
    auth_failure_window: float = Field(default=300.0, gt=0, description="seconds of that window")
    index_in_background: bool = Field(
        default=True,
        description="a server serves a new FAQ set on BM25 at once, its e5 vectors built in the background",
    )
    encode_ahead_texts: int = Field(
        default=1_000,
        ge=0,
        description="a draft bringing at most this many texts new to the served FAQ set has their e5 "
        "vectors encoded in the background at import, so its publish completes in seconds",
    )
    search_cache_size: int = Field(
        default=10_000, ge=0, description="search results kept per process for repeated questions; 0 disables"
    )
    live_poll_interval: float = Field(
        default=2.0, gt=0, description="seconds between checks for FAQ versions published by another process"
    )
    deletion_warning_share: float = Field(
        default=0.2,
        ge=0,
        le=1,
        description="a draft removing more than this share of the live FAQs needs `--allow-deletions` "
        "(console: a confirmation) to publish",
    )
    chat_limits: ChatLimits = Field(
        default=ChatLimits(),
        description="public chat rate limits and body size (`FAQBOT_CHAT_LIMITS__ENABLED`, …)",
    )

    @property
    def tenants_dir(self) -> Path:
        return self.data_dir / "tenants"

    @property
    def index_dir(self) -> Path:
        return self.state_dir / "indexes"

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.state_dir / 'faqbot.db').resolve()}"
