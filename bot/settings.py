"""Typed settings, read once from the environment and an optional `.env` file."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

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

    engine_timeout_seconds: float = Field(default=30.0, gt=0)
    session_idle_minutes: float = Field(default=30.0, gt=0)
    login_max_failures: int = Field(default=5, ge=1)
    login_lockout_minutes: float = Field(default=15.0, gt=0)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @model_validator(mode="after")
    def _derive_and_check(self) -> Settings:
        self.data_dir = self.data_dir.expanduser().resolve()
        if not self.rasa_executable:
            self.rasa_executable = str(PROJECT_ROOT / ".venv-engine" / "bin" / "rasa")
        self.model_cache_dir = self.model_cache_dir.expanduser()
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'catalogue.sqlite3'}"
        if not self.tracker_store_url:
            self.tracker_store_url = f"sqlite:///{self.data_dir / 'tracker.sqlite3'}"
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
        if self.app_env == "production":
            for name in ("rasa_token", "internal_token", "secret_key", "pseudonym_key"):
                value = getattr(self, name)
                if value == DEVELOPMENT_SECRET or len(value) < 16:
                    raise ValueError(
                        f"{name.upper()} must be set to a secret of 16+ characters in production"
                    )
        return self

    @property
    def embedding_cache(self) -> Path | None:
        """Where catalogue text vectors are cached, or None when vector search is off."""
        return self.model_cache_dir.parent / "embeddings.sqlite3" if self.search_vectors else None

    @property
    def web_url(self) -> str:
        """Base URL of the web app on loopback."""
        return f"http://{self.web_host}:{self.web_port}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read on first use."""
    return Settings()
