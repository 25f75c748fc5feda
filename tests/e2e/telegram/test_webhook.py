"""Webhook mode: Telegram posts updates to the real web app, which checks the secret token.

A second web app process runs with TELEGRAM_MODE=webhook and its own bot token; at startup
it registers its webhook (URL and secret) with the emulator, which then delivers that
bot's updates by POST with the X-Telegram-Bot-Api-Secret-Token header, as Telegram does.
"""

from __future__ import annotations

import secrets
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from bot.i18n.translator import render
from bot.runner.processes import ManagedProcess, ProcessSpec
from bot.runner.stack import settings_env
from bot.settings import PROJECT_ROOT, Settings
from tests.e2e.telegram.conftest import bot_token
from tests.e2e.telegram.emulator import Emulator
from tests.e2e.telegram.telegram_user import TelegramUser, joined
from tests.helpers import free_port

pytestmark = pytest.mark.engine
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@pytest.fixture(scope="module")
def webhook_settings(bot_settings: Settings) -> Settings:
    """A web app of its own, in webhook mode, for a second bot."""
    port = free_port()
    return bot_settings.model_copy(
        update={
            "telegram_bot_token": bot_token(),
            "telegram_mode": "webhook",
            "telegram_webhook_secret": secrets.token_urlsafe(32),
            "telegram_webhook_url": f"http://127.0.0.1:{port}/telegram/webhook",
            "web_port": port,
            "public_base_url": f"http://127.0.0.1:{port}",
        }
    )


@pytest.fixture(scope="module")
def webhook_app(webhook_settings: Settings, emulator: Emulator) -> Iterator[str]:
    """The web app process (uvicorn, like `make run` starts it); yields its webhook URL."""
    settings = webhook_settings
    spec = ProcessSpec(
        name="web-webhook",
        command=[
            sys.executable,
            "-m",
            "uvicorn",
            "bot.web.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(settings.web_port),
        ],
        ready_url=f"{settings.web_url}/health",
        is_ready=lambda response: response.status_code in (200, 503),
        env={**settings_env(settings), "PYTHONPATH": str(PROJECT_ROOT), "PYTHONUNBUFFERED": "1"},
    )
    process = ManagedProcess(spec, PROJECT_ROOT, settings.data_dir / "logs")
    try:
        process.wait_ready()
        yield settings.telegram_webhook_url
    finally:
        process.stop()


def update(user: TelegramUser, update_id: int, text: str) -> dict[str, Any]:
    """A Telegram update as Telegram would post it."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": user.chat,
            "from": user.sender,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
            if text.startswith("/")
            else [],
        },
    }


def test_the_web_app_registers_its_webhook_with_the_secret(
    webhook_app: str, webhook_settings: Settings, emulator: Emulator
) -> None:
    registered = emulator.calls(webhook_settings.telegram_bot_token, "setWebhook")
    assert registered, "the web app did not call setWebhook"
    assert registered[-1]["params"]["url"] == webhook_app
    assert registered[-1]["params"]["secret_token"] == webhook_settings.telegram_webhook_secret


def test_a_message_through_the_webhook_is_answered(
    webhook_app: str, webhook_settings: Settings, emulator: Emulator
) -> None:
    user = TelegramUser(emulator.url, webhook_settings.telegram_bot_token, language_code="en")
    try:
        assert render("utter_help", "en", {"municipality": "Cremona"}) in joined(user.say("/help"))
        deliveries = emulator.query("/_test/webhook", token=user.token)
        assert deliveries and all(d["status"] == 200 for d in deliveries)
    finally:
        user.close()


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({SECRET_HEADER: "not-the-secret-but-long-enough"}, 403),
        ({SECRET_HEADER: ""}, 403),
    ],
)
def test_requests_without_the_right_secret_are_refused(
    webhook_app: str,
    webhook_settings: Settings,
    emulator: Emulator,
    headers: dict[str, str],
    status: int,
) -> None:
    user = TelegramUser(emulator.url, webhook_settings.telegram_bot_token, language_code="en")
    try:
        response = httpx.post(webhook_app, json=update(user, 910_001, "/help"), headers=headers)
        assert response.status_code == status
        assert response.json()["field"] == SECRET_HEADER
        user.silence(3)  # nothing was answered
    finally:
        user.close()


def test_the_good_secret_with_a_bad_body_is_refused_by_field(
    webhook_app: str, webhook_settings: Settings
) -> None:
    good = {SECRET_HEADER: webhook_settings.telegram_webhook_secret}
    too_big = httpx.post(webhook_app, content=b"{" + b" " * 300_000 + b"}", headers=good)
    assert too_big.status_code == 413 and too_big.json()["field"] == "body"
    not_json = httpx.post(webhook_app, content=b"update_id=1", headers=good)
    assert not_json.status_code == 400 and not_json.json()["field"] == "body"
    no_id = httpx.post(webhook_app, json={"message": {}}, headers=good)
    assert no_id.status_code == 400 and no_id.json()["field"] == "update_id"


def test_a_webhook_update_posted_twice_is_answered_once(
    webhook_app: str, webhook_settings: Settings, emulator: Emulator
) -> None:
    user = TelegramUser(emulator.url, webhook_settings.telegram_bot_token, language_code="it")
    good = {SECRET_HEADER: webhook_settings.telegram_webhook_secret}
    try:
        body = update(user, 920_000 + secrets.randbelow(10_000), "/help")
        assert httpx.post(webhook_app, json=body, headers=good).status_code == 200
        help_text = render("utter_help", "it", {"municipality": "Cremona"})
        assert help_text in joined(user.replies())
        assert httpx.post(webhook_app, json=body, headers=good).status_code == 200
        user.silence(3)
    finally:
        user.close()
