"""Which chat a pseudonymous sender writes from, so staff replies can reach them.

The sender id is a keyed hash of the Telegram user id and cannot be reversed. To send a
desk reply to a person who is not writing right now, the bot must still find their chat:

* in process memory (no Redis): the route lives as long as the process; after a restart,
  a waiting reply is delivered as soon as the person writes again;
* in Redis (REDIS_URL): the chat id is stored encrypted (AES-256-GCM, key derived from
  PSEUDONYM_KEY, bound to the sender id), with the conversation retention period as its
  expiry, so replies also reach people after a restart. A copy of Redis alone reveals
  no chat id; the route is deleted with the person's data on /delete.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
from collections import OrderedDict
from typing import Protocol

import redis.asyncio as redis
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

logger = logging.getLogger(__name__)
MAX_ROUTES_IN_MEMORY = 100_000
NONCE_BYTES = 12
KEY_LABEL = b"cremona-assistant telegram chat routes v1"


def route_key(pseudonym_key: str) -> bytes:
    """The 256-bit encryption key of chat routes, derived from the pseudonym key."""
    return hmac.new(pseudonym_key.encode(), KEY_LABEL, hashlib.sha256).digest()


def seal(key: bytes, sender: str, chat_id: int) -> bytes:
    """Encrypt a chat id for one sender (nonce + ciphertext + tag)."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, str(chat_id).encode(), sender.encode())


def unseal(key: bytes, sender: str, sealed: bytes) -> int | None:
    """The chat id, or None when the value was tampered with or belongs to another sender."""
    try:
        plain = AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], sender.encode())
        return int(plain.decode())
    except (InvalidTag, ValueError):
        return None


class ChatRoutes(Protocol):
    """sender id -> chat id."""

    async def remember(self, sender: str, chat_id: int) -> None:
        """Record (or refresh) where `sender` writes from."""
        ...

    async def chat_of(self, sender: str) -> int | None:
        """The chat of `sender`, None when unknown."""
        ...

    async def forget(self, sender: str) -> None:
        """Drop the route (after an erasure)."""
        ...


class MemoryChatRoutes:
    """Routes in process memory (most recent senders, bounded)."""

    def __init__(self, capacity: int = MAX_ROUTES_IN_MEMORY) -> None:
        self._routes: OrderedDict[str, int] = OrderedDict()
        self._capacity = capacity

    async def remember(self, sender: str, chat_id: int) -> None:
        """Record the route as the most recent."""
        self._routes.pop(sender, None)
        self._routes[sender] = chat_id
        while len(self._routes) > self._capacity:
            self._routes.popitem(last=False)

    async def chat_of(self, sender: str) -> int | None:
        """Look the route up."""
        return self._routes.get(sender)

    async def forget(self, sender: str) -> None:
        """Drop the route."""
        self._routes.pop(sender, None)


class RedisChatRoutes:
    """Encrypted routes in Redis, expiring after the retention period."""

    def __init__(self, client: redis.Redis, prefix: str, key: bytes, ttl_seconds: int) -> None:
        self._redis = client
        self._prefix = prefix
        self._key = key
        self._ttl = ttl_seconds

    def _name(self, sender: str) -> str:
        return f"{self._prefix}:telegram:route:{sender}"

    async def remember(self, sender: str, chat_id: int) -> None:
        """SET the sealed chat id with its expiry."""
        await self._redis.set(self._name(sender), seal(self._key, sender, chat_id), ex=self._ttl)

    async def chat_of(self, sender: str) -> int | None:
        """GET and unseal; a value that does not decrypt is reported and ignored."""
        sealed = await self._redis.get(self._name(sender))
        if sealed is None:
            return None
        chat_id = unseal(self._key, sender, sealed if isinstance(sealed, bytes) else b"")
        if chat_id is None:
            logger.warning("a chat route does not decrypt (key changed or tampered): ignored")
        return chat_id

    async def forget(self, sender: str) -> None:
        """DEL the route."""
        await self._redis.delete(self._name(sender))
