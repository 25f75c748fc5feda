"""Telegram delivers at least once: remember update ids so a repeated update is answered once."""

from __future__ import annotations

from collections import OrderedDict
from typing import Protocol

import redis.asyncio as redis

REMEMBER_SECONDS = 48 * 3600  # Telegram keeps undelivered updates for 24 hours


class UpdateLog(Protocol):
    """Which update ids were already taken."""

    async def first_time(self, bot_id: int, update_id: int) -> bool:
        """True exactly once per update id (atomically)."""
        ...


class MemoryUpdateLog:
    """In-process memory of the most recent update ids (one bot process)."""

    def __init__(self, capacity: int = 100_000) -> None:
        self._seen: OrderedDict[tuple[int, int], None] = OrderedDict()
        self._capacity = capacity

    async def first_time(self, bot_id: int, update_id: int) -> bool:
        """Record the id; False when it was seen before."""
        key = (bot_id, update_id)
        if key in self._seen:
            return False
        self._seen[key] = None
        while len(self._seen) > self._capacity:
            self._seen.popitem(last=False)
        return True


class RedisUpdateLog:
    """Update ids in Redis, shared by several bot processes (webhook workers)."""

    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self._redis = client
        self._prefix = prefix

    async def first_time(self, bot_id: int, update_id: int) -> bool:
        """SET NX with an expiry: only the first process to see the id gets True."""
        key = f"{self._prefix}:telegram:update:{bot_id}:{update_id}"
        return bool(await self._redis.set(key, b"1", nx=True, ex=REMEMBER_SECONDS))
