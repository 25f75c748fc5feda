"""The one path from any channel to the engine: send, then act on internal signals."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from bot.channels.engine_client import EngineClient
from bot.channels.language_note import note_once
from bot.privacy.erasure import erase_sender
from bot.settings import Settings

INTERNAL_TYPES = {"erase_conversation"}


@dataclass(frozen=True)
class Turn:
    """What the user should see after one message, and whether their data was erased."""

    messages: list[dict[str, Any]]
    erased: bool = False


def _internal_type(message: dict[str, Any]) -> str | None:
    custom = message.get("custom")
    if isinstance(custom, dict) and custom.get("type") in INTERNAL_TYPES:
        return str(custom["type"])
    return None


class ConversationGateway:
    """Channels call `handle` (or `turn`); it returns only what the user should see."""

    def __init__(self, settings: Settings, engine: EngineClient) -> None:
        self.settings = settings
        self.engine = engine

    async def turn(self, sender_id: str, text: str, metadata: dict[str, Any]) -> Turn:
        """Send a message; erase the conversation when the bot confirmed a deletion."""
        messages = await self.engine.send(sender_id, text, metadata)
        signals = {_internal_type(m) for m in messages}
        erased = "erase_conversation" in signals
        if erased:
            await asyncio.to_thread(erase_sender, self.settings, sender_id)
        return Turn(note_once([m for m in messages if _internal_type(m) is None]), erased)

    async def handle(
        self, sender_id: str, text: str, metadata: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Send a message and return the bot messages the user should see."""
        return (await self.turn(sender_id, text, metadata)).messages
