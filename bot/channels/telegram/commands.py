"""What a Telegram message means for the engine: commands, deep links and typed slashes.

Only the commands listed here become engine payloads (an intent without user-chosen
entities, except the service id of a well-formed deep link). Anything else a person
types, "/request_human" or '/choose_language{"language": "xx"}' included, reaches the
engine as plain words.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from bot.channels.payload_guard import neutralise

DEEP_LINK_PREFIX = "svc_"
SERVICE_ID = re.compile(r"^[A-Za-z0-9_-]{1,60}$")  # a deep-link parameter is at most 64 chars
COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{1,64}))?(?:\s+(.*))?$", re.DOTALL)
LOCATION_DECIMALS = 3  # about 100 m: enough to sort services, no more precise than needed

# Telegram command -> the payload the engine receives
COMMAND_PAYLOADS: dict[str, str] = {
    "start": "/greet",
    "language": "/change_language",
    "help": "/help",
    "privacy": "/privacy",
    "delete": "/delete_data",
}
BOT_COMMANDS: tuple[str, ...] = tuple(COMMAND_PAYLOADS)


@dataclass(frozen=True)
class Command:
    """A command as typed: its name (lower case) and what followed it."""

    name: str
    argument: str


def parse_command(text: str, bot_username: str | None = None) -> Command | None:
    """'/start svc_x' -> Command('start', 'svc_x'); None when the text is not a command.

    A command addressed to another bot ('/help@OtherBot') is not one of ours.
    """
    match = COMMAND.match(text.strip())
    if match is None:
        return None
    name, addressee, argument = match.groups()
    if addressee and bot_username and addressee.lower() != bot_username.lower():
        return None
    return Command(name.lower(), (argument or "").strip())


def start_payload(argument: str) -> str:
    """/start, or /start svc_<id> from a deep link (the desk's QR code) opening that service."""
    if argument.startswith(DEEP_LINK_PREFIX):
        service_id = argument[len(DEEP_LINK_PREFIX) :]
        if SERVICE_ID.match(service_id):
            return "/select_service" + json.dumps({"service_id": service_id})
    return COMMAND_PAYLOADS["start"]


def command_payload(command: Command) -> str | None:
    """The engine payload of an allow-listed command, None for any other command."""
    if command.name == "start":
        return start_payload(command.argument)
    return COMMAND_PAYLOADS.get(command.name)


def engine_text(text: str, bot_username: str | None = None) -> str:
    """What the engine receives for a typed message: a listed command's payload, else words."""
    command = parse_command(text, bot_username)
    if command is not None:
        payload = command_payload(command)
        if payload is not None:
            return payload
    return neutralise(text)


def deep_link(bot_username: str, service_id: str) -> str:
    """The t.me link that opens a service card in the bot (for QR codes and printed cards)."""
    if not SERVICE_ID.match(service_id):
        raise ValueError(f"service id {service_id!r} cannot travel in a deep link")
    return f"https://t.me/{bot_username.lstrip('@')}?start={DEEP_LINK_PREFIX}{service_id}"


def location_payload(latitude: float, longitude: float) -> str:
    """The payload of a shared location, rounded to about 100 metres."""
    coordinates = f"{latitude:.{LOCATION_DECIMALS}f},{longitude:.{LOCATION_DECIMALS}f}"
    return "/share_location" + json.dumps({"coordinates": coordinates})
