"""Telegram settings: webhook mode refuses a missing or weak secret, naming the variable."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.channels.telegram.log_privacy import RedactSecrets
from bot.runner.stack import process_specs, telegram_spec
from bot.settings import Settings


@pytest.mark.parametrize("secret", ["", "short", "has spaces in it!!", "é" * 20])
def test_webhook_mode_needs_a_real_secret(secret: str) -> None:
    with pytest.raises(ValidationError, match="TELEGRAM_WEBHOOK_SECRET"):
        Settings(telegram_mode="webhook", telegram_webhook_secret=secret)


def test_webhook_url_defaults_to_the_public_url() -> None:
    settings = Settings(
        telegram_mode="webhook",
        telegram_webhook_secret="a" * 32,
        public_base_url="https://assistente.comune.cremona.it/",
    )
    assert settings.telegram_webhook_url == "https://assistente.comune.cremona.it/telegram/webhook"
    assert Settings().telegram_mode == "polling"  # the default needs no public URL


def test_log_records_never_show_the_token() -> None:
    token = "123456789:AAE-secret-token-value"
    record = logging.LogRecord(
        "httpx",
        logging.INFO,
        __file__,
        1,
        "POST %s",
        (f"https://api.telegram.org/bot{token}/x",),
        None,
    )
    try:
        raise RuntimeError(f"failed calling bot{token}")
    except RuntimeError as error:
        record.exc_info = (type(error), error, error.__traceback__)
    RedactSecrets([token]).filter(record)
    formatted = logging.Formatter().format(record)
    assert token not in formatted
    assert "<redacted>" in formatted


def test_make_run_starts_the_bot_process_only_in_polling_mode_with_a_token(
    tmp_path: Path,
) -> None:
    model = tmp_path / "model.tar.gz"

    def names(**values: object) -> list[str]:
        settings = Settings(data_dir=tmp_path, **values)  # type: ignore[arg-type]
        return [spec.name for spec in process_specs(settings, model)]

    assert "telegram" not in names()
    assert "telegram" in names(telegram_bot_token="123:abc")
    assert "telegram" not in names(
        telegram_bot_token="123:abc", telegram_mode="webhook", telegram_webhook_secret="s" * 20
    )
    spec = telegram_spec(Settings(telegram_health_port=8099), {})
    assert spec.command[1:] == ["-m", "bot", "telegram"]
    assert spec.ready_url == "http://127.0.0.1:8099/health"
