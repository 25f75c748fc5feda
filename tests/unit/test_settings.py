"""Settings: derived defaults and refusal of development secrets in production."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import Settings


def test_sqlite_defaults_live_in_the_data_folder(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.database_url == f"sqlite:///{tmp_path / 'catalogue.sqlite3'}"
    assert settings.tracker_store_url.endswith("tracker.sqlite3")


def test_production_refuses_development_secrets() -> None:
    with pytest.raises(ValidationError, match="RASA_TOKEN"):
        Settings(app_env="production")


def test_a_wrong_value_names_the_field() -> None:
    with pytest.raises(ValidationError, match="web_port"):
        Settings(web_port=70000)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://ledger", "ERASURE_LEDGER_URL must be a sqlite:/// or PostgreSQL URL"),
        ("erasures.sqlite3", "ERASURE_LEDGER_URL must be a sqlite:/// or PostgreSQL URL"),
        ("postgresql://127.0.0.1/cremona", "ERASURE_LEDGER_URL must name a database of its own"),
    ],
)
def test_a_wrong_erasure_ledger_database_is_refused(url: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Settings(erasure_ledger_url=url, database_url="postgresql://127.0.0.1/cremona")
