"""Send to Telegram politely: network errors retried with backoff, 429s left to the limiter.

Flood control has one owner: the Application's AIORateLimiter keeps within Telegram's
limits and waits out `retry_after` (a few times) before a RetryAfter reaches this code.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import partial

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError

from bot.channels.telegram.offered_buttons import OfferedButtons
from bot.channels.telegram.rendering import Outgoing, OutgoingText, OutgoingVenue, keyboard_rows

logger = logging.getLogger(__name__)
ATTEMPTS = 5
FIRST_BACKOFF_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 8.0


async def with_retry[T](call: Callable[[], Awaitable[T]], attempts: int = ATTEMPTS) -> T:
    """Run a Bot API call, retrying network errors (timeouts, 5xx) with exponential backoff.

    A BadRequest is a NetworkError in python-telegram-bot but retrying cannot fix it; it
    is raised at once, like Forbidden (the person blocked the bot) and RetryAfter.
    """
    backoff = FIRST_BACKOFF_SECONDS
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except BadRequest:
            raise
        except NetworkError as error:
            if attempt == attempts:
                raise
            logger.warning(
                "telegram network error (attempt %d of %d): %s", attempt, attempts, error
            )
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
    raise AssertionError("unreachable")


async def keyboard(
    sender: str, item: OutgoingText, offered: OfferedButtons
) -> InlineKeyboardMarkup | None:
    """Inline buttons whose callback data are tokens for payloads kept on the server."""
    if not item.buttons:
        return None
    rows = []
    for row in keyboard_rows(item.buttons):
        rows.append(
            [
                InlineKeyboardButton(
                    button.title, callback_data=await offered.offer(sender, button.payload)
                )
                for button in row
            ]
        )
    return InlineKeyboardMarkup(rows)


async def send_one(
    bot: Bot, chat_id: int, sender: str, item: Outgoing, offered: OfferedButtons
) -> Message:
    """Send one rendered item: a venue (or a bare pin) or an HTML text with its buttons."""
    if isinstance(item, OutgoingVenue):
        if item.address:
            call = partial(
                bot.send_venue,
                chat_id=chat_id,
                latitude=item.latitude,
                longitude=item.longitude,
                title=item.title,
                address=item.address,
            )
        else:
            call = partial(
                bot.send_location, chat_id=chat_id, latitude=item.latitude, longitude=item.longitude
            )
    else:
        call = partial(
            bot.send_message,
            chat_id=chat_id,
            text=item.html,
            parse_mode=ParseMode.HTML,
            reply_markup=await keyboard(sender, item, offered),
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        )
    return await with_retry(call)


async def send_all(
    bot: Bot, chat_id: int, sender: str, items: list[Outgoing], offered: OfferedButtons
) -> list[Message]:
    """Send the rendered items in order."""
    return [await send_one(bot, chat_id, sender, item, offered) for item in items]
