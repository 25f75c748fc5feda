"""Talk to the Rasa server through its REST channel, the path every channel uses."""

from __future__ import annotations

from typing import Any

import httpx


class EngineUnavailableError(RuntimeError):
    """The Rasa server could not be reached or answered with an error."""


class EngineClient:
    """An async client of the Rasa REST channel and HTTP API."""

    def __init__(self, base_url: str, token: str, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._http = httpx.AsyncClient(timeout=timeout)

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def send(
        self, sender_id: str, text: str, metadata: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Send one user message; return the bot messages (text, buttons, custom)."""
        payload = {"sender": sender_id, "message": text, "metadata": metadata or {}}
        try:
            response = await self._http.post(f"{self.base_url}/webhooks/rest/webhook", json=payload)
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise EngineUnavailableError(str(error)) from error
        messages: list[dict[str, Any]] = response.json()
        return messages

    async def tracker(self, sender_id: str) -> dict[str, Any]:
        """The conversation state, through the token-protected HTTP API."""
        try:
            response = await self._http.get(
                f"{self.base_url}/conversations/{sender_id}/tracker",
                params={"token": self.token},
            )
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise EngineUnavailableError(str(error)) from error
        state: dict[str, Any] = response.json()
        return state

    async def status(self) -> dict[str, Any]:
        """The model status (token-protected); raises when Rasa is not ready."""
        try:
            response = await self._http.get(f"{self.base_url}/status", params={"token": self.token})
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise EngineUnavailableError(str(error)) from error
        status: dict[str, Any] = response.json()
        return status
