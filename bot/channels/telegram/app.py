"""The composition root of the Telegram bot: one python-telegram-bot Application.

Like PTB's rules-bot: the builder wires the rate limiter, the per-chat update processor
and the handlers; `post_init` opens what the handlers use (engine client, database
sessions, the channel's stores, the staff-reply loop) and `post_shutdown` closes it.
Polling (`bot.channels.telegram.polling`) and the web app's webhook
(`bot.web.telegram_webhook`) run the same Application.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from telegram import Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.catalogue.db import make_engine, make_session_factory
from bot.channels.engine_client import EngineClient
from bot.channels.telegram.bot_profile import publish_profile
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.ordering import PerChatUpdateProcessor
from bot.channels.telegram.state import channel_state
from bot.channels.telegram.stored_language import StoredLanguage
from bot.settings import Settings

logger = logging.getLogger(__name__)
TelegramApplication = Application[Any, Any, Any, Any, Any, Any]

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
MAX_CONCURRENT_UPDATES = 256  # chats answered at the same time (one update per chat at once)
FLOOD_RETRIES = 3  # times the rate limiter waits out a 429 before giving up
RESOURCES = "resources"


class MissingTokenError(RuntimeError):
    """The bot cannot start without TELEGRAM_BOT_TOKEN."""


def _channel(application: TelegramApplication) -> TelegramChannel:
    channel: TelegramChannel = application.bot_data[RESOURCES]["channel"]
    return channel


def _add_handlers(application: TelegramApplication) -> None:
    """Handler groups: -1 drops repeated updates and non-private chats; 0 answers."""

    def route(name: str) -> Any:
        async def handler(update: Update, context: Any) -> None:
            await getattr(_channel(application), name)(update, context)

        handler.__name__ = name
        return handler

    message = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    application.add_handler(TypeHandler(Update, route("drop_repeated")), group=-1)
    application.add_handler(MessageHandler(message & filters.COMMAND, route("on_command")))
    application.add_handler(MessageHandler(message & filters.TEXT, route("on_text")))
    application.add_handler(MessageHandler(message & filters.LOCATION, route("on_location")))
    application.add_handler(
        MessageHandler(message & ~filters.StatusUpdate.ALL, route("on_non_text"))
    )
    application.add_handler(CallbackQueryHandler(route("on_button")))
    application.add_error_handler(route("on_error"))


async def _post_init(application: TelegramApplication) -> None:
    """Open the engine client, database, stores; start the staff-reply loop."""
    settings: Settings = application.bot_data["settings"]
    state = channel_state(settings)
    await state.check()
    engine = EngineClient(settings.rasa_url, settings.rasa_token, settings.engine_timeout_seconds)
    database = make_engine(settings.database_url)
    stored = StoredLanguage(settings.tracker_store_url, settings.default_language)
    channel = TelegramChannel(settings, engine, make_session_factory(database), state, stored)
    channel.bot_username = application.bot.username
    bot = application.bot
    tasks = [
        asyncio.create_task(
            channel.staff_replies.run(bot, settings.telegram_outbox_interval_seconds),
            name="telegram-staff-replies",
        ),
        asyncio.create_task(publish_profile(bot, settings), name="telegram-profile"),
    ]
    application.bot_data[RESOURCES] = {
        "channel": channel,
        "engine": engine,
        "database": database,
        "state": state,
        "stored": stored,
        "tasks": tasks,
    }
    logger.info("telegram bot @%s ready", application.bot.username)


async def _post_stop(application: TelegramApplication) -> None:
    """Stop the background tasks while the bot can still finish a send."""
    resources = application.bot_data.get(RESOURCES) or {}
    for task in resources.get("tasks", []):
        task.cancel()
    for task in resources.get("tasks", []):
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _post_shutdown(application: TelegramApplication) -> None:
    """Close what `_post_init` opened."""
    resources = application.bot_data.pop(RESOURCES, None)
    if not resources:
        return
    await resources["engine"].aclose()
    await resources["state"].aclose()
    resources["database"].dispose()
    resources["stored"].dispose()


def build_application(settings: Settings, *, with_updater: bool = True) -> TelegramApplication:
    """The bot's Application; `with_updater=False` for webhook mode (the web app feeds it)."""
    if not settings.telegram_bot_token:
        raise MissingTokenError("TELEGRAM_BOT_TOKEN is not set (create a bot with @BotFather)")
    base = settings.telegram_base_url.rstrip("/")
    builder = (
        Application.builder()
        .token(settings.telegram_bot_token)
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .rate_limiter(AIORateLimiter(max_retries=FLOOD_RETRIES))
        .concurrent_updates(PerChatUpdateProcessor(MAX_CONCURRENT_UPDATES))
        .connect_timeout(10.0)
        .read_timeout(20.0)
        .write_timeout(20.0)
        .pool_timeout(10.0)
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
    )
    if not with_updater:
        builder = builder.updater(None)
    application: TelegramApplication = builder.build()
    application.bot_data["settings"] = settings
    _add_handlers(application)
    return application


async def open_application(application: TelegramApplication) -> None:
    """initialize, post_init, start: what `run_polling` does before polling."""
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.start()


async def close_application(application: TelegramApplication) -> None:
    """stop, post_stop, shutdown, post_shutdown: what `run_polling` does at the end."""
    if application.running:
        await application.stop()
        if application.post_stop:
            await application.post_stop(application)
    await application.shutdown()
    if application.post_shutdown:
        await application.post_shutdown(application)
