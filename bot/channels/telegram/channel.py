"""The Telegram conversation: each update becomes one engine turn, rendered back to the chat.

The channel is a thin adapter. It knows a person only by a keyed hash of their Telegram id
(the raw id and username are never stored or logged), passes what they typed to the
engine as words (only listed commands and offered buttons become payloads), and renders
the engine's messages.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from telegram import Bot, Message, Update, User
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.channels.engine_client import EngineClient, EngineUnavailableError
from bot.channels.gateway import ConversationGateway, Turn
from bot.channels.telegram import commands
from bot.channels.telegram.rendering import render, to_html
from bot.channels.telegram.sending import send_all, with_retry
from bot.channels.telegram.staff_replies import StaffReplies
from bot.channels.telegram.state import ChannelState
from bot.channels.telegram.stored_language import StoredLanguage
from bot.i18n.translator import render as render_message
from bot.privacy.pseudonyms import pseudonym
from bot.settings import Settings

logger = logging.getLogger(__name__)
CHANNEL = "telegram"
DOMAIN = "telegram"
FIRST_RETRY_SECONDS = 1.0
MAX_RETRY_INTERVAL_SECONDS = 15.0

NON_TEXT_REPLIES = {
    "voice": "nontext_voice",
    "media": "nontext_photo",
    "sticker": "nontext_sticker",
    "other": "nontext_other",
}


class EmptyReplyError(EngineUnavailableError):
    """Rasa answered with no message at all: an action or the NLG endpoint failed."""


class TelegramChannel:
    """Handlers for every kind of update, over the clients and stores `app.py` opens."""

    def __init__(
        self,
        settings: Settings,
        engine: EngineClient,
        sessions: sessionmaker[Session],
        state: ChannelState,
        stored: StoredLanguage,
    ) -> None:
        self.settings = settings
        self.gateway = ConversationGateway(settings, engine)
        self.state = state
        self.stored = stored
        self.staff_replies = StaffReplies(
            sessions, state.routes, self.stored_language, settings.municipality
        )
        self.bot_username: str | None = None

    # -- identity and language -------------------------------------------------------------

    def sender_id(self, user: User) -> str:
        """The pseudonymous sender id of a Telegram user (a keyed hash, never the id)."""
        return pseudonym(self.settings.pseudonym_key, CHANNEL, user.id)

    async def language(self, sender: str, user: User | None) -> str:
        """The conversation's language: chosen, else detected, else the client's, else default."""
        client = user.language_code if user else None
        return await asyncio.to_thread(self.stored.language, sender, client)

    async def stored_language(self, sender: str) -> str:
        """The conversation's language when the person is not writing (staff replies)."""
        return await self.language(sender, None)

    async def say(self, bot: Bot, chat_id: int, message_id: str, language: str) -> None:
        """Send one channel string from locales/ (telegram domain), escaped."""
        text = render_message(
            message_id, language, {"municipality": self.settings.municipality}, domain=DOMAIN
        )
        await with_retry(
            lambda: bot.send_message(chat_id=chat_id, text=to_html(text), parse_mode=ParseMode.HTML)
        )

    # -- handlers ----------------------------------------------------------------------------

    async def drop_repeated(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """First handler group: repeated updates and chats other than private ones stop here."""
        chat = update.effective_chat
        if chat is not None and chat.type != ChatType.PRIVATE:
            raise ApplicationHandlerStop
        if not await self.state.updates.first_time(context.bot.id, update.update_id):
            logger.info("update %d delivered again: ignored", update.update_id)
            raise ApplicationHandlerStop

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start (with deep link), /language, /help, /privacy, /delete; others are words."""
        message = update.effective_message
        if message is not None and message.text:
            text = commands.engine_text(message.text, self.bot_username)
            if text:
                await self.converse(update, context, text)

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Free text: sent as words (a leading '/' never selects an intent)."""
        message = update.effective_message
        if message is not None and message.text:
            text = commands.engine_text(message.text, self.bot_username)
            if text:
                await self.converse(update, context, text)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button press sends its payload, if the bot offered that button to this person."""
        query, user = update.callback_query, update.effective_user
        if query is None or user is None or update.effective_chat is None:
            return
        sender = self.sender_id(user)
        payload = await self.state.buttons.payload(sender, query.data or "")
        if payload is None:
            logger.info("a button this person was not offered (or no longer) was pressed")
            language = await self.language(sender, user)
            notice = render_message("button_expired", language, domain=DOMAIN)
            await with_retry(lambda: query.answer(text=notice))
            return
        await with_retry(query.answer)
        await self.converse(update, context, payload)

    async def on_location(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A shared location (or venue): services are then sorted by distance from it."""
        message = update.effective_message
        if message is not None and message.location is not None:
            where = message.location
            payload = commands.location_payload(where.latitude, where.longitude)
            await self.converse(update, context, payload)

    async def on_non_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Voice, photos, files, stickers...: a helpful answer; a caption is read as text."""
        chat, user, message = update.effective_chat, update.effective_user, update.effective_message
        if chat is None or user is None or message is None:
            return
        sender = self.sender_id(user)
        await self.state.routes.remember(sender, chat.id)
        language = await self.language(sender, user)
        await self.say(context.bot, chat.id, NON_TEXT_REPLIES[message_kind(message)], language)
        caption = commands.engine_text(message.caption or "", self.bot_username)
        if caption:
            await self.converse(update, context, caption)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log first: the error type and message, never the update (it holds ids and text)."""
        error = context.error
        logger.error(
            "handling an update failed: %s: %s",
            type(error).__name__,
            error,
            exc_info=(type(error), error, error.__traceback__) if error else None,
        )

    # -- one turn ------------------------------------------------------------------------------

    async def converse(self, update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
        """Send one message to the engine and render its answer in the chat."""
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None:
            return
        bot = context.bot
        sender = self.sender_id(user)
        await self.state.routes.remember(sender, chat.id)
        await self.staff_replies.deliver_to(bot, sender, chat.id)
        metadata: dict[str, Any] = {"channel": CHANNEL, "language": user.language_code or ""}
        turn = await self._turn_with_patience(bot, chat.id, user, sender, text, metadata)
        if turn is None:
            return
        if turn.erased:
            await self.state.buttons.forget(sender)
            await self.state.routes.forget(sender)
        await send_all(bot, chat.id, sender, render(turn.messages), self.state.buttons)

    async def _typing(self, bot: Bot, chat_id: int) -> None:
        try:
            await bot.send_chat_action(chat_id=chat_id, action=ChatAction.TYPING)
        except TelegramError as error:  # a courtesy: never worth failing the turn
            logger.debug("typing indicator not sent: %s", type(error).__name__)

    async def _answered_turn(
        self, bot: Bot, chat_id: int, sender: str, text: str, meta: dict[str, Any]
    ) -> Turn:
        typing = asyncio.create_task(self._typing(bot, chat_id))
        try:
            turn = await self.gateway.turn(sender, text, meta)
        finally:
            await typing
        if not turn.messages and not turn.erased:
            raise EmptyReplyError("the engine answered with no message")
        return turn

    async def _turn_with_patience(
        self,
        bot: Bot,
        chat_id: int,
        user: User,
        sender: str,
        text: str,
        metadata: dict[str, Any],
    ) -> Turn | None:
        """A turn; when the engine is down, apologise once and keep retrying for a while.

        The chat's later messages wait behind this one (per-chat order), other chats go on.
        """
        try:
            return await self._answered_turn(bot, chat_id, sender, text, metadata)
        except EngineUnavailableError as error:
            logger.warning("engine unavailable (%s): the message waits", type(error).__name__)
        language = await self.language(sender, user)
        await self.say(bot, chat_id, "engine_waiting", language)
        deadline = time.monotonic() + self.settings.telegram_engine_patience_seconds
        pause = FIRST_RETRY_SECONDS
        while (remaining := deadline - time.monotonic()) > 0:
            await asyncio.sleep(min(pause, remaining))
            pause = min(pause * 2, MAX_RETRY_INTERVAL_SECONDS)
            try:
                turn = await self._answered_turn(bot, chat_id, sender, text, metadata)
            except EngineUnavailableError:
                continue
            logger.info("engine back: the waiting message was answered")
            return turn
        logger.warning("engine still unavailable: the person is asked to send the message again")
        await self.say(bot, chat_id, "engine_gave_up", language)
        return None


def message_kind(message: Message) -> str:
    """Which non-text reply a message gets (voice, media, sticker or other)."""
    if message.voice or message.audio or message.video_note:
        return "voice"
    if message.sticker or message.animation:
        return "sticker"
    if message.photo or message.video or message.document:
        return "media"
    return "other"
