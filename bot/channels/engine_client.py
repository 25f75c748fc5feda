"""Talk to the Rasa servers through their REST channel, the path every channel uses.

`base_url` is one URL or a comma-separated list (the production profile's Rasa servers):
requests are balanced and failed over by `bot.channels.engine_pool.EnginePool`.
"""

from __future__ import annotations

from typing import Any

import httpx

from bot.channels.engine_pool import EnginePool, NoServerAnsweredError
from bot.runner.internal_token import BEARER


class EngineUnavailableError(RuntimeError):
    """No Rasa server could be reached, or it answered with an error or with nothing."""


class EngineClient:
    """An async client of the Rasa REST channel and HTTP API."""

    def __init__(self, base_url: str, token: str, timeout: float = 30.0) -> None:
        urls = [url.strip() for url in base_url.split(",") if url.strip()]
        # the REST channel (bot.engine_channel) wants the token as a bearer header
        self.pool = EnginePool(urls, timeout, headers={"Authorization": f"{BEARER}{token}"})
        self.base_url = self.pool.urls[0]
        self.token = token

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self.pool.aclose()

    async def _json(
        self, method: str, path: str, *, replayable: bool, json: Any = None, token: bool = False
    ) -> Any:
        params = {"token": self.token} if token else None
        try:
            response = await self.pool.request(
                method, path, replayable=replayable, json=json, params=params
            )
            response.raise_for_status()
            return response.json()
        except (NoServerAnsweredError, httpx.HTTPError, ValueError) as error:
            raise EngineUnavailableError(str(error)) from error

    async def send(
        self, sender_id: str, text: str, metadata: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Send one user message; return the bot messages (text, buttons, custom).

        An empty answer means the engine could not process the turn (its lock store or
        tracker store failed): it is reported as unavailable, never shown as silence.
        """
        payload = {"sender": sender_id, "message": text, "metadata": metadata or {}}
        async with self.pool.ordered(sender_id):
            messages: list[dict[str, Any]] = await self._json(
                "POST", "/webhooks/rest/webhook", replayable=False, json=payload
            )
        if not messages:
            raise EngineUnavailableError("the engine answered with no message")
        return messages

    async def tracker(self, sender_id: str) -> dict[str, Any]:
        """The conversation state, through the token-protected HTTP API."""
        state: dict[str, Any] = await self._json(
            "GET", f"/conversations/{sender_id}/tracker", replayable=True, token=True
        )
        return state

    async def status(self) -> dict[str, Any]:
        """The model status (token-protected); raises when Rasa is not ready."""
        status: dict[str, Any] = await self._json("GET", "/status", replayable=True, token=True)
        return status
