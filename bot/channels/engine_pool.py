"""Several Rasa servers behind one client: round robin, failover, per-conversation order.

Retry rule (duplicates): a request is sent again to another server only when the first
server certainly did not process it, or when processing it twice is harmless:

* reads (`GET`: tracker, status) are retried on any connection error, timeout or 5xx;
* a user message (`POST`) is retried only when the connection was never established
  (refused, connect timeout, no free connection) or the answer is 502 (a proxy saying it
  reached no server). A timeout, a dropped connection or any other 5xx after the message
  was sent may mean it was processed: retrying could answer it twice, so the caller gets
  `EngineUnavailableError` and the person is told to try again.

Messages of one conversation leave this process one at a time, in the order they were
given (a FIFO lock per sender); Rasa's Redis lock store keeps several processes apart.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import httpx

NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
NOT_PROCESSED_STATUSES = frozenset({502})
COOLDOWN_SECONDS = 2.0


class NoServerAnsweredError(RuntimeError):
    """Every server failed; the message carries the last failure."""


class EnginePool:
    """Round-robin over Rasa servers; a server that failed is tried last for a while."""

    def __init__(
        self,
        urls: Sequence[str],
        timeout: float,
        cooldown: float = COOLDOWN_SECONDS,
        headers: dict[str, str] | None = None,
    ) -> None:
        if not urls:
            raise ValueError("at least one Rasa server URL is needed")
        self.urls = [url.rstrip("/") for url in urls]
        self.cooldown = cooldown
        self.served: Counter[str] = Counter()
        self._http = httpx.AsyncClient(timeout=timeout, headers=headers)
        self._next = 0
        self._down_until: dict[str, float] = {}
        self._senders: dict[str, asyncio.Lock] = {}
        self._waiting: Counter[str] = Counter()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    def _order(self) -> list[str]:
        """Servers to try: the next in turn first, servers that just failed last."""
        start = self._next % len(self.urls)
        self._next += 1
        rotated = self.urls[start:] + self.urls[:start]
        now = time.monotonic()
        return sorted(rotated, key=lambda url: self._down_until.get(url, 0.0) > now)

    def _mark_down(self, url: str) -> None:
        self._down_until[url] = time.monotonic() + self.cooldown

    @asynccontextmanager
    async def ordered(self, sender_id: str) -> AsyncIterator[None]:
        """Hold the sender's FIFO lock: one message of a conversation at a time, in order."""
        lock = self._senders.setdefault(sender_id, asyncio.Lock())
        self._waiting[sender_id] += 1
        try:
            async with lock:
                yield
        finally:
            self._waiting[sender_id] -= 1
            if not self._waiting[sender_id]:
                del self._waiting[sender_id]
                self._senders.pop(sender_id, None)

    async def request(
        self,
        method: str,
        path: str,
        *,
        replayable: bool,
        json: Any = None,
        params: dict[str, str] | None = None,
    ) -> httpx.Response:
        """Send to one server, failing over as the retry rule allows; 2xx-4xx are returned."""
        failure = "no server tried"
        for url in self._order():
            try:
                response = await self._http.request(method, url + path, json=json, params=params)
            except NOT_SENT as error:
                self._mark_down(url)
                failure = f"{url}: {type(error).__name__}"
                continue
            except httpx.HTTPError as error:
                if not replayable:
                    raise NoServerAnsweredError(f"{url}: {type(error).__name__}") from error
                self._mark_down(url)
                failure = f"{url}: {type(error).__name__}"
                continue
            if response.status_code >= 500:
                failure = f"{url}: HTTP {response.status_code}"
                if replayable or response.status_code in NOT_PROCESSED_STATUSES:
                    self._mark_down(url)
                    continue
                raise NoServerAnsweredError(failure)
            self._down_until.pop(url, None)
            self.served[url] += 1
            return response
        raise NoServerAnsweredError(failure)
