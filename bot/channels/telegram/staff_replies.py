"""Replies written at the desk (the outbox, channel "telegram") delivered to the person's chat.

Each message is claimed in the database before it is sent (marked delivered only if
nobody marked it first), so several bot processes never send it twice; a failed send
releases the claim and the message is tried again later.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import partial

from sqlalchemy.orm import Session, sessionmaker
from telegram import Bot, Message
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError

from bot.channels.telegram.chat_routes import ChatRoutes
from bot.channels.telegram.rendering import CHUNK_LENGTH, split_text, to_html
from bot.channels.telegram.sending import with_retry
from bot.conversations import outbox
from bot.i18n.translator import render

logger = logging.getLogger(__name__)
CHANNEL = "telegram"
DOMAIN = "telegram"
HEADING_ROOM = 200  # the heading shares the first message with the text

LanguageOf = Callable[[str], Awaitable[str]]


def staff_reply_html(text: str, language: str, municipality: str) -> list[str]:
    """The chat messages of one staff reply: a heading in the person's language, then the text."""
    heading = render("staff_reply", language, {"municipality": municipality}, domain=DOMAIN)
    chunks = split_text(text, CHUNK_LENGTH - HEADING_ROOM) or [""]
    first = f"<b>{to_html(heading)}</b>\n{to_html(chunks[0])}"
    return [first, *(to_html(chunk) for chunk in chunks[1:])]


class StaffReplies:
    """Delivers the outbox to Telegram chats."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        routes: ChatRoutes,
        language_of: LanguageOf,
        municipality: str,
    ) -> None:
        self.sessions = sessions
        self.routes = routes
        self.language_of = language_of
        self.municipality = municipality
        self._blocked: set[str] = set()  # people who blocked the bot, until they write again

    def _waiting_for(self, sender: str) -> list[tuple[int, str]]:
        with self.sessions() as session:
            return [(m.id, m.text) for m in outbox.pending_for_sender(session, sender)]

    def _waiting_senders(self) -> list[str]:
        with self.sessions() as session:
            found = {m.sender_id for m in outbox.pending(session, CHANNEL)}
        return sorted(found - self._blocked)

    def _claim(self, message_id: int) -> bool:
        with self.sessions.begin() as session:
            return outbox.mark_delivered(session, [message_id]) == 1

    def _release(self, message_id: int) -> None:
        with self.sessions.begin() as session:
            outbox.release(session, [message_id])

    @staticmethod
    async def _send(bot: Bot, chat_id: int, html: str) -> Message:
        return await bot.send_message(chat_id=chat_id, text=html, parse_mode=ParseMode.HTML)

    async def deliver_to(self, bot: Bot, sender: str, chat_id: int) -> int:
        """Send every waiting reply of `sender` to `chat_id`, oldest first; return how many."""
        self._blocked.discard(sender)
        waiting = await asyncio.to_thread(self._waiting_for, sender)
        if not waiting:
            return 0
        language = await self.language_of(sender)
        sent = 0
        for message_id, text in waiting:
            if not await asyncio.to_thread(self._claim, message_id):
                continue  # another process took it
            try:
                for html in staff_reply_html(text, language, self.municipality):
                    await with_retry(partial(self._send, bot, chat_id, html))
            except TelegramError as error:
                await asyncio.to_thread(self._release, message_id)
                if isinstance(error, Forbidden):
                    self._blocked.add(sender)
                logger.warning("a staff reply could not be delivered: %s", type(error).__name__)
                return sent
            sent += 1
        return sent

    async def deliver_waiting(self, bot: Bot) -> int:
        """Deliver the outbox to every chat whose route is known; return how many went."""
        sent = 0
        for sender in await asyncio.to_thread(self._waiting_senders):
            chat_id = await self.routes.chat_of(sender)
            if chat_id is not None:
                sent += await self.deliver_to(bot, sender, chat_id)
        return sent

    async def run(self, bot: Bot, interval: float) -> None:
        """Deliver forever, every `interval` seconds (cancel the task to stop)."""
        while True:
            try:
                sent = await self.deliver_waiting(bot)
                if sent:
                    logger.info("delivered %d staff repl%s", sent, "y" if sent == 1 else "ies")
            except Exception as error:  # keep the loop alive: the next round may succeed
                logger.error("staff reply delivery failed: %s: %s", type(error).__name__, error)
            await asyncio.sleep(interval)
