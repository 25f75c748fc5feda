"""The channel's own memory: seen updates, offered buttons, chat routes (memory or Redis)."""

from __future__ import annotations

from dataclasses import dataclass

import redis.asyncio as redis

from bot.channels.telegram.chat_routes import (
    ChatRoutes,
    MemoryChatRoutes,
    RedisChatRoutes,
    route_key,
)
from bot.channels.telegram.dedup import MemoryUpdateLog, RedisUpdateLog, UpdateLog
from bot.channels.telegram.offered_buttons import (
    MemoryOfferedButtons,
    OfferedButtons,
    RedisOfferedButtons,
)
from bot.settings import Settings

SECONDS_PER_DAY = 86_400


@dataclass
class ChannelState:
    """Everything the channel remembers between updates, and the connection it uses."""

    updates: UpdateLog
    buttons: OfferedButtons
    routes: ChatRoutes
    client: redis.Redis | None = None

    @property
    def shared(self) -> bool:
        """True when several bot processes share this state (Redis)."""
        return self.client is not None

    async def check(self) -> None:
        """Fail early, with the setting's name, when Redis is configured but unreachable."""
        if self.client is None:
            return
        try:
            await self.client.ping()
        except redis.RedisError as error:
            raise RuntimeError(f"REDIS_URL: Redis does not answer ({error})") from error

    async def aclose(self) -> None:
        """Close the Redis connection pool, if any."""
        if self.client is not None:
            await self.client.aclose()


def channel_state(settings: Settings) -> ChannelState:
    """Redis-backed state when REDIS_URL is set, process memory otherwise."""
    if not settings.redis_url:
        return ChannelState(MemoryUpdateLog(), MemoryOfferedButtons(), MemoryChatRoutes())
    client = redis.Redis.from_url(settings.redis_url)
    prefix = settings.redis_key_prefix
    return ChannelState(
        updates=RedisUpdateLog(client, prefix),
        buttons=RedisOfferedButtons(client, prefix),
        routes=RedisChatRoutes(
            client,
            prefix,
            route_key(settings.pseudonym_key),
            settings.retention_days * SECONDS_PER_DAY,
        ),
        client=client,
    )
