"""Buttons the bot offered to each person: the only payloads a button press may send.

A button's callback data is a random token; the payload stays on the server, keyed by
the pseudonymous sender id. A press with a token this person was never offered (forged,
from another chat, or forgotten after a restart or an erasure) sends nothing.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from typing import Protocol

import redis.asyncio as redis

MAX_SENDERS = 10_000
MAX_BUTTONS_PER_SENDER = 64
REMEMBER_SECONDS = 7 * 24 * 3600  # an old card's buttons keep working for a week


def new_token() -> str:
    """A callback token: 16 URL-safe characters (Telegram allows 64 bytes)."""
    return secrets.token_urlsafe(12)


class OfferedButtons(Protocol):
    """Which payload each offered token stands for, per sender."""

    async def offer(self, sender: str, payload: str) -> str:
        """Remember a payload offered to `sender`; return the token for callback_data."""
        ...

    async def payload(self, sender: str, token: str) -> str | None:
        """The payload behind a pressed button, None when `sender` was never offered it."""
        ...

    async def forget(self, sender: str) -> None:
        """Drop everything offered to `sender` (after an erasure)."""
        ...


class MemoryOfferedButtons:
    """Offered buttons in process memory, bounded per sender and in senders."""

    def __init__(self, max_senders: int = MAX_SENDERS) -> None:
        self._senders: OrderedDict[str, OrderedDict[str, str]] = OrderedDict()
        self._max_senders = max_senders

    async def offer(self, sender: str, payload: str) -> str:
        """Remember the payload (the oldest buttons of a sender go first)."""
        buttons = self._senders.pop(sender, OrderedDict())
        self._senders[sender] = buttons
        token = new_token()
        buttons[token] = payload
        while len(buttons) > MAX_BUTTONS_PER_SENDER:
            buttons.popitem(last=False)
        while len(self._senders) > self._max_senders:
            self._senders.popitem(last=False)
        return token

    async def payload(self, sender: str, token: str) -> str | None:
        """Look the token up."""
        return self._senders.get(sender, OrderedDict()).get(token)

    async def forget(self, sender: str) -> None:
        """Drop the sender's buttons."""
        self._senders.pop(sender, None)


class RedisOfferedButtons:
    """Offered buttons in Redis (a hash per sender), shared by every bot process."""

    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self._redis = client
        self._prefix = prefix

    def _key(self, sender: str) -> str:
        return f"{self._prefix}:telegram:buttons:{sender}"

    async def offer(self, sender: str, payload: str) -> str:
        """HSET the token; a sender with too many buttons starts a fresh set."""
        key = self._key(sender)
        token = new_token()
        if await self._redis.hlen(key) >= MAX_BUTTONS_PER_SENDER:
            await self._redis.delete(key)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, token, payload)
            pipe.expire(key, REMEMBER_SECONDS)
            await pipe.execute()
        return token

    async def payload(self, sender: str, token: str) -> str | None:
        """HGET the token."""
        value = await self._redis.hget(self._key(sender), token)
        return value.decode("utf-8") if isinstance(value, bytes) else value

    async def forget(self, sender: str) -> None:
        """DEL the sender's hash."""
        await self._redis.delete(self._key(sender))
