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
