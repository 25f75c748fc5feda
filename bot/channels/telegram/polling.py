"""`python -m bot telegram`: the bot as its own process, long polling, with a health endpoint.

The process answers `GET http://127.0.0.1:<TELEGRAM_HEALTH_PORT>/health` once the bot
is known to Telegram and polling, so `make run` can wait for it like for every process.
SIGTERM and SIGINT stop it cleanly (the message being answered is finished first).
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal

from telegram.error import InvalidToken, NetworkError

from bot.channels.telegram.app import (
    ALLOWED_UPDATES,
    TelegramApplication,
    build_application,
    close_application,
    open_application,
)
from bot.settings import Settings

logger = logging.getLogger(__name__)
POLL_TIMEOUT_SECONDS = 30  # long polling: Telegram holds each getUpdates this long
BOOTSTRAP_ATTEMPTS = 6
MAX_REQUEST_BYTES = 4096


class TelegramStartupError(RuntimeError):
    """The bot could not reach Telegram or was refused."""


async def _health_handler(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, body: bytes
) -> None:
    try:
        request = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=5)
        ok = request.startswith(b"GET /health ") and len(request) <= MAX_REQUEST_BYTES
        status = b"200 OK" if ok else b"404 Not Found"
        payload = body if ok else b'{"error": "not found"}'
        writer.write(
            b"HTTP/1.1 " + status + b"\r\nContent-Type: application/json\r\n"
            b"Content-Length: "
            + str(len(payload)).encode()
            + b"\r\nConnection: close\r\n\r\n"
            + payload
        )
        await writer.drain()
    except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def serve_health(port: int, username: str) -> asyncio.Server:
    """A minimal HTTP health endpoint on loopback."""
    body = json.dumps({"status": "ok", "mode": "polling", "bot": username}).encode()
    return await asyncio.start_server(
        lambda r, w: _health_handler(r, w, body), "127.0.0.1", port, limit=MAX_REQUEST_BYTES
    )


async def _open_with_retries(application: TelegramApplication) -> None:
    """Open the Application, retrying while Telegram cannot be reached."""
    pause = 1.0
    for attempt in range(1, BOOTSTRAP_ATTEMPTS + 1):
        try:
            await open_application(application)
            return
        except InvalidToken as error:
            raise TelegramStartupError(
                "TELEGRAM_BOT_TOKEN was refused by Telegram: copy it again from @BotFather"
            ) from error
        except NetworkError as error:
            if attempt == BOOTSTRAP_ATTEMPTS:
                raise TelegramStartupError(
                    f"Telegram cannot be reached at TELEGRAM_BASE_URL ({error})"
                ) from error
            logger.warning("Telegram not reachable yet (%s): retrying in %.0fs", error, pause)
            await application.shutdown()
            await asyncio.sleep(pause)
            pause = min(pause * 2, 15.0)


async def run_polling(settings: Settings) -> None:
    """Poll Telegram until SIGTERM/SIGINT."""
    application = build_application(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await _open_with_retries(application)
    health: asyncio.Server | None = None
    try:
        assert application.updater is not None
        await application.updater.start_polling(
            allowed_updates=ALLOWED_UPDATES, timeout=POLL_TIMEOUT_SECONDS
        )
        health = await serve_health(settings.telegram_health_port, application.bot.username)
        logger.info("polling; health on http://127.0.0.1:%d/health", settings.telegram_health_port)
        await stop.wait()
        logger.info("stopping")
    finally:
        if health is not None:
            health.close()
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        await close_application(application)
