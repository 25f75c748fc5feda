"""Typed settings, read once from the environment and an optional `.env` file."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEVELOPMENT_SECRET = "development-only-secret"
WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{16,256}$")  # what Telegram accepts


class Settings(BaseSettings):
    """Every setting of the app, documented in `.env.example`."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    app_env: Literal["development", "test", "production"] = "development"
    data_dir: Path = PROJECT_ROOT / "var"
    database_url: str = ""
    tracker_store_url: str = ""

    municipality: str = "Cremona"
    timezone: str = "Europe/Rome"
    patron_saint_day: str = Field(default="11-13", pattern=r"^\d\d-\d\d$")
    default_language: str = "it"

    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: str = DEVELOPMENT_SECRET
    action_server_url: str = "http://127.0.0.1:5055/webhook"
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8000, ge=1, le=65535)
    public_base_url: str = ""
    internal_token: str = DEVELOPMENT_SECRET
    secret_key: str = DEVELOPMENT_SECRET
    pseudonym_key: str = DEVELOPMENT_SECRET

    rasa_executable: str = str(PROJECT_ROOT / ".venv-engine" / "bin" / "rasa")
    model_cache_dir: Path = Path.home() / ".cache" / "cremona-assistant" / "models"
    search_vectors: bool = True
    embedding_threads: int = Field(default=1, ge=1, le=64)
    handoff_service_id: str = "svc-cultural-mediation"
    retention_days: int = Field(default=90, ge=1)
    action_workers: int = Field(default=1, ge=1, le=16)

    telegram_bot_token: str = ""
    telegram_bot_username: str = ""
    telegram_mode: Literal["polling", "webhook"] = "polling"
    telegram_base_url: str = "https://api.telegram.org"
    telegram_webhook_secret: str = ""
    telegram_webhook_url: str = ""
    telegram_health_port: int = Field(default=8081, ge=1, le=65535)
    telegram_engine_patience_seconds: float = Field(default=120.0, gt=0)
    telegram_outbox_interval_seconds: float = Field(default=5.0, gt=0)
    redis_url: str = ""
    redis_key_prefix: str = Field(default="cremona", pattern=r"^[A-Za-z0-9_.:-]{1,64}$")
    widget_frame_ancestors: str = "*"
    # security and privacy (README "Security and privacy")
    cors_allowed_origins: str = ""  # exact origins, comma-separated; empty: same origin only
    max_request_bytes: int = Field(default=256 * 1024, ge=1024)
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    erasure_ledger: Path | None = None  # default <DATA_DIR>/privacy/erasure-ledger.jsonl
    erasure_ledger_url: str = ""  # a database of its own instead (several hosts share it)

    engine_timeout_seconds: float = Field(default=30.0, gt=0)
    session_idle_minutes: float = Field(default=30.0, gt=0)
    login_max_failures: int = Field(default=5, ge=1)
    login_lockout_minutes: float = Field(default=15.0, gt=0)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    # production profile (bot/runner/production.py): several Rasa and action servers
    deployment_profile: Literal["embedded", "production"] = "embedded"
    rasa_servers: int = Field(default=2, ge=1, le=16)
    action_servers: int = Field(default=2, ge=1, le=16)
    action_backend_urls: str = ""
    lock_store_url: str = ""
    action_timeout_seconds: float = Field(default=10.0, gt=0)
    turn_timeout_seconds: int = Field(default=45, ge=1)
    lock_lifetime_seconds: int = Field(default=60, ge=1)

    @model_validator(mode="after")
    def _derive_and_check(self) -> Settings:
        self.data_dir = self.data_dir.expanduser().resolve()
        if self.erasure_ledger is None:
            self.erasure_ledger = self.data_dir / "privacy" / "erasure-ledger.jsonl"
        if not self.rasa_executable:
            self.rasa_executable = str(PROJECT_ROOT / ".venv-engine" / "bin" / "rasa")
        self.model_cache_dir = self.model_cache_dir.expanduser()
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'catalogue.sqlite3'}"
        if not self.tracker_store_url:
            self.tracker_store_url = f"sqlite:///{self.data_dir / 'tracker.sqlite3'}"
        self._check_erasure_ledger_url()
        if not self.public_base_url:
            self.public_base_url = f"http://{self.web_host}:{self.web_port}"
        if not self.telegram_webhook_url:
            self.telegram_webhook_url = f"{self.public_base_url.rstrip('/')}/telegram/webhook"
        if self.telegram_mode == "webhook" and not WEBHOOK_SECRET.match(
            self.telegram_webhook_secret
        ):
            raise ValueError(
                "TELEGRAM_WEBHOOK_SECRET must be 16-256 characters of A-Z, a-z, 0-9, _ or - "
                "when TELEGRAM_MODE=webhook"
            )
        if self.deployment_profile == "production":
            self._derive_production()
        if self.app_env == "production":
            for name in ("rasa_token", "internal_token", "secret_key", "pseudonym_key"):
                value = getattr(self, name)
                if value == DEVELOPMENT_SECRET or len(value) < 16:
                    raise ValueError(
                        f"{name.upper()} must be set to a secret of 16+ characters in production"
                    )
        return self

    def _check_erasure_ledger_url(self) -> None:
        """A ledger database is SQLite or PostgreSQL, and never one that backups carry."""
        url = self.erasure_ledger_url
        if not url:
            return
        if not url.startswith(("sqlite:///", "postgresql")):
            raise ValueError("ERASURE_LEDGER_URL must be a sqlite:/// or PostgreSQL URL")
        if url in (self.database_url, self.tracker_store_url):
            raise ValueError(
                "ERASURE_LEDGER_URL must name a database of its own: a backup of the catalogue "
                "or tracker database would carry the ledger back in time"
            )

    def _derive_production(self) -> None:
        """Server lists from base ports, and the checks the production profile needs."""
        self.rasa_url = ",".join(_expand(self.rasa_url, self.rasa_servers))
        if not self.action_backend_urls:
            backends = _expand(self.action_server_url, self.action_servers + 1)[1:]
            self.action_backend_urls = ",".join(backends)
        self.lock_store_url = self.lock_store_url or self.redis_url
        for name in ("database_url", "tracker_store_url"):
            if not getattr(self, name).startswith("postgresql"):
                raise ValueError(f"{name.upper()} must be a PostgreSQL URL in production profile")
        if not self.lock_store_url.startswith("redis://"):
            raise ValueError("LOCK_STORE_URL (or REDIS_URL) must be a redis:// URL in production")
        if not (
            self.action_timeout_seconds < self.turn_timeout_seconds < self.lock_lifetime_seconds
        ):
            raise ValueError(
                "ACTION_TIMEOUT_SECONDS < TURN_TIMEOUT_SECONDS < LOCK_LIFETIME_SECONDS must hold"
            )

    @property
    def rasa_urls(self) -> list[str]:
        """Every Rasa server the channels balance over (RASA_URL, comma-separated)."""
        return _split(self.rasa_url)

    @property
    def action_backends(self) -> list[str]:
        """The action servers behind the loopback balancer (production profile)."""
        return _split(self.action_backend_urls)

    @property
    def embedding_cache(self) -> Path | None:
        """Where catalogue text vectors are cached, or None when vector search is off."""
        return self.model_cache_dir.parent / "embeddings.sqlite3" if self.search_vectors else None

    @property
    def web_url(self) -> str:
        """Base URL of the web app on loopback."""
        return f"http://{self.web_host}:{self.web_port}"


def _split(urls: str) -> list[str]:
    return [url.strip().rstrip("/") for url in urls.split(",") if url.strip()]


def _expand(urls: str, count: int) -> list[str]:
    """A comma-separated list as given, or `count` URLs on consecutive ports from one URL."""
    given = _split(urls)
    if len(given) != 1 or count == 1:
        return given
    base = urlsplit(given[0])
    if base.port is None:
        raise ValueError(f"{urls!r} must name a port to derive {count} servers")
    return [
        urlunsplit(base._replace(netloc=f"{base.hostname}:{base.port + i}")) for i in range(count)
    ]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read on first use."""
    return Settings()
