"""Telegram's webhook (TELEGRAM_MODE=webhook): updates posted to the web app.

Telegram sends the secret given to `setWebhook` in the X-Telegram-Bot-Api-Secret-Token
header; a request without it (or with another value) is refused before its body is
read. An accepted update is queued to the bot's Application, which runs inside the web
app's lifespan, and Telegram gets its 200 at once (the answer is sent by the bot).
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.error import TelegramError

from bot.channels.telegram.app import (
    ALLOWED_UPDATES,
    build_application,
    close_application,
    open_application,
)
from bot.channels.telegram.log_privacy import protect_logs
from bot.settings import Settings
from bot.widget.request_body import BadRequestError, json_body

logger = logging.getLogger(__name__)
WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE_BYTES = 256 * 1024  # an update is a few kilobytes; Telegram never sends more
MAX_CONNECTIONS = 40  # parallel webhook requests Telegram may open


def webhook_enabled(settings: Settings) -> bool:
    """True when this web app receives Telegram's updates."""
    return bool(settings.telegram_bot_token) and settings.telegram_mode == "webhook"


@asynccontextmanager
async def telegram_webhook_bot(app: Starlette, settings: Settings) -> AsyncIterator[None]:
    """Run the bot's Application for the web app's lifetime (webhook mode only)."""
    app.state.telegram = None
    if not webhook_enabled(settings):
        yield
        return
    protect_logs(settings)
    application = build_application(settings, with_updater=False)
    await open_application(application)
    try:
        await application.bot.set_webhook(
            url=settings.telegram_webhook_url,
            secret_token=settings.telegram_webhook_secret,
            allowed_updates=ALLOWED_UPDATES,
            max_connections=MAX_CONNECTIONS,
        )
        logger.info("telegram webhook registered")
    except TelegramError as error:
        logger.error("telegram webhook not registered (TELEGRAM_WEBHOOK_URL?): %s", error)
    app.state.telegram = application
    try:
        yield
    finally:
        app.state.telegram = None
        await close_application(application)


def _refusal(status: int, problem: str, field: str) -> JSONResponse:
    return JSONResponse({"error": problem, "field": field}, status_code=status)


async def telegram_webhook_endpoint(request: Request) -> Response:
    """Check the secret, read a bounded JSON update, hand it to the bot."""
    application = getattr(request.app.state, "telegram", None)
    if application is None:
        return _refusal(404, "the Telegram webhook is not enabled (TELEGRAM_MODE)", "path")
    supplied = request.headers.get(SECRET_HEADER)
    if supplied is None:
        return _refusal(401, "missing secret token", SECRET_HEADER)
    expected: str = request.app.state.settings.telegram_webhook_secret
    if not hmac.compare_digest(supplied.encode(), expected.encode()):
        return _refusal(403, "wrong secret token", SECRET_HEADER)
    try:
        data = await json_body(request, MAX_UPDATE_BYTES)
    except BadRequestError as error:
        return error.response()
    if not isinstance(data.get("update_id"), int) or isinstance(data.get("update_id"), bool):
        return _refusal(400, "must be an integer", "update_id")
    try:
        update = Update.de_json(data, application.bot)
    except (TypeError, ValueError, KeyError) as error:
        logger.warning("a webhook request is not a Telegram update: %s", type(error).__name__)
        return _refusal(400, "not a Telegram update", "body")
    await application.update_queue.put(update)
    return JSONResponse({"ok": True})


def telegram_routes() -> list[Route]:
    """The webhook route (it answers 404 unless webhook mode is on)."""
    return [Route(WEBHOOK_PATH, telegram_webhook_endpoint, methods=["POST"])]
