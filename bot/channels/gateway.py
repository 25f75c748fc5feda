"""The one path from any channel to the engine: send, then act on internal signals."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.channels.engine_client import EngineClient
from bot.privacy.erasure import erase_sender
from bot.settings import Settings

INTERNAL_TYPES = {"erase_conversation"}


class ConversationGateway:
    """Channels call `handle`; it returns only what the user should see."""

    def __init__(self, settings: Settings, engine: EngineClient) -> None:
        self.settings = settings
        self.engine = engine

    async def handle(
        self, sender_id: str, text: str, metadata: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Send a message; erase the conversation when the bot confirmed a deletion."""
        messages = await self.engine.send(sender_id, text, metadata)
        signals = {
            m["custom"].get("type")
            for m in messages
            if isinstance(m.get("custom"), dict) and m["custom"].get("type") in INTERNAL_TYPES
        }
        if "erase_conversation" in signals:
            await asyncio.to_thread(erase_sender, self.settings, sender_id)
        return [
            m
            for m in messages
            if not (isinstance(m.get("custom"), dict) and m["custom"].get("type") in INTERNAL_TYPES)
        ]
