"""A loopback balancer in front of the action servers (Rasa takes one action_endpoint URL).

Round robin over ACTION_BACKEND_URLS. A call is sent to the next server only when the
connection to the first was never established (so no action runs twice); each call is
bounded by ACTION_TIMEOUT_SECONDS (Rasa's own action timeout is 5 minutes), answering 504
after it. Run it with `uvicorn bot.runner.balancer:create_app --factory`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.settings import Settings, get_settings

NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
COOLDOWN_SECONDS = 2.0
HEALTH_TIMEOUT_SECONDS = 2.0
FORWARDED_HEADERS = frozenset({"content-type", "content-encoding"})


class Backends:
    """The action servers, in turn; one that refused a connection is tried last for a while."""

    def __init__(self, urls: Sequence[str], timeout: float) -> None:
        self.urls = list(urls)
        self.http = httpx.AsyncClient(timeout=timeout)
        self._next = 0
        self._down_until: dict[str, float] = {}

    def order(self) -> list[str]:
        """Backends to try for one call."""
        start = self._next % len(self.urls)
        self._next += 1
        rotated = self.urls[start:] + self.urls[:start]
        now = time.monotonic()
        return sorted(rotated, key=lambda url: self._down_until.get(url, 0.0) > now)

    def mark_down(self, url: str) -> None:
        """Try this backend last until the cool-down ends."""
        self._down_until[url] = time.monotonic() + COOLDOWN_SECONDS

    async def forward(self, body: bytes, headers: dict[str, str], query: str = "") -> Response:
        """Send one action call (with Rasa's query string: the token) to a backend.

        503 when none accepts a connection.
        """
        for url in self.order():
            try:
                target = f"{url}?{query}" if query else url
                answer = await self.http.post(target, content=body, headers=headers)
            except NOT_SENT:
                self.mark_down(url)
                continue
            except httpx.TimeoutException:
                return JSONResponse({"error": "action server timed out"}, status_code=504)
            except httpx.HTTPError as error:
                self.mark_down(url)
                return JSONResponse({"error": type(error).__name__}, status_code=502)
            return Response(
                answer.content,
                status_code=answer.status_code,
                media_type=answer.headers.get("content-type"),
            )
        return JSONResponse({"error": "no action server reachable"}, status_code=503)

    async def health(self) -> dict[str, bool]:
        """Whether each backend answers its health check."""

        async def one(url: str) -> bool:
            try:
                response = await self.http.get(
                    url.rsplit("/webhook", 1)[0] + "/health", timeout=HEALTH_TIMEOUT_SECONDS
                )
            except httpx.HTTPError:
                return False
            return response.status_code == 200

        states = await asyncio.gather(*(one(url) for url in self.urls))
        return dict(zip(self.urls, states, strict=True))


def create_app(settings: Settings | None = None) -> Starlette:
    """The balancer app: POST /webhook is forwarded, GET /health reports the backends."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.backends = Backends(settings.action_backends, settings.action_timeout_seconds)
        yield
        await app.state.backends.http.aclose()

    async def webhook(request: Request) -> Response:
        backends: Backends = request.app.state.backends
        headers = {k: v for k, v in request.headers.items() if k in FORWARDED_HEADERS}
        return await backends.forward(await request.body(), headers, request.url.query)

    async def health(request: Request) -> JSONResponse:
        states = await request.app.state.backends.health()
        return JSONResponse({"backends": states}, status_code=200 if any(states.values()) else 503)

    routes = [
        Route("/webhook", webhook, methods=["POST"]),
        Route("/health", health, methods=["GET"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
