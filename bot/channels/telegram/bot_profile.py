"""The bot's profile in every language: the command menu and the texts of an empty chat.

Telegram shows each person the variant for their app's language (`language_code`), and
the default variant (the municipality's language) to everybody else.
"""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand
from telegram.error import TelegramError

from bot.channels.telegram.commands import BOT_COMMANDS
from bot.i18n.languages import LANGUAGES
from bot.i18n.translator import render
from bot.settings import Settings

logger = logging.getLogger(__name__)
DOMAIN = "telegram"


def menu(language: str) -> list[BotCommand]:
    """The command menu with descriptions in `language`."""
    return [
        BotCommand(name, render(f"cmd_{name}", language, domain=DOMAIN)) for name in BOT_COMMANDS
    ]


def descriptions(language: str, municipality: str) -> tuple[str, str]:
    """(description, short description) of the bot in `language`."""
    variables = {"municipality": municipality}
    return (
        render("bot_description", language, variables, domain=DOMAIN),
        render("bot_short_description", language, variables, domain=DOMAIN),
    )


async def _publish_one(bot: Bot, settings: Settings, language: str, code: str | None) -> None:
    description, short = descriptions(language, settings.municipality)
    await bot.set_my_commands(menu(language), language_code=code)
    await bot.set_my_description(description, language_code=code)
    await bot.set_my_short_description(short, language_code=code)


async def publish_profile(bot: Bot, settings: Settings) -> bool:
    """Set the menu and descriptions for every language; a failure is logged, not fatal."""
    try:
        await _publish_one(bot, settings, settings.default_language, None)
        for language in LANGUAGES:
            await _publish_one(bot, settings, language.code, language.code)
    except TelegramError as error:
        logger.warning("could not publish the bot's commands and descriptions: %s", error)
        return False
    return True
