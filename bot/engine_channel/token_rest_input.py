"""Rasa's REST channel behind a shared secret: only the app may post messages to it.

Rasa's `--auth-token` guards its HTTP API but not the channels' webhooks, so on a host
with other users anything on loopback could write into any conversation. This channel is
Rasa's own REST channel (same name, so the URL stays `/webhooks/rest/webhook`) that
answers 401 unless the request carries `Authorization: Bearer <token>`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.runner.internal_token import bearer_token, tokens_match

TOKEN_FIELD = "token"


class MissingChannelTokenError(ValueError):
    """credentials.yml gives this channel no token (or an empty one)."""


class TokenRestInput(RestInput):
    """The REST channel, refusing every request without the shared token."""

    def __init__(self, token: str) -> None:
        if not token:
            raise MissingChannelTokenError(
                f"credentials.yml: {__name__}.{type(self).__name__} needs a non-empty "
                f"'{TOKEN_FIELD}' (the app's RASA_TOKEN)"
            )
        self.token = token

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TokenRestInput:
        """Build from credentials.yml: `token: ${RASA_CHANNEL_TOKEN}`."""
        return cls(str((credentials or {}).get(TOKEN_FIELD) or ""))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        """Rasa's REST routes with a token check in front of every one of them."""
        blueprint = super().blueprint(on_new_message)

        @blueprint.middleware("request")
        async def require_token(request: Request) -> HTTPResponse | None:
            if tokens_match(self.token, bearer_token(request.headers.get("authorization", ""))):
                return None
            return response.json({"error": "missing or wrong channel token"}, status=401)

        return blueprint
