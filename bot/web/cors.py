"""Cross-origin access to the public chat API: an exact allow-list (CORS_ALLOWED_ORIGINS).

The widget normally runs in an iframe served by this app, so it needs no CORS at all.
A partner site that calls the chat API from its own pages must be listed by its exact
origin (scheme, host and port); no wildcard, no credentials, only the chat API paths.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.settings import Settings

API_PREFIX = "/api/chat/"


class InvalidOriginError(ValueError):
    """A CORS_ALLOWED_ORIGINS entry is not an exact origin."""


def allowed_origins(setting: str) -> list[str]:
    """The exact origins of a comma- or space-separated setting; a bad entry is named."""
    origins: list[str] = []
    for entry in setting.replace(",", " ").split():
        parts = urlsplit(entry)
        exact = (
            parts.scheme in ("http", "https")
            and bool(parts.hostname)
            and "*" not in entry
            and parts.path in ("", "/")
            and not (parts.query or parts.fragment or parts.username)
        )
        if not exact:
            raise InvalidOriginError(f"CORS_ALLOWED_ORIGINS: {entry!r} is not an exact origin")
        origins.append(f"{parts.scheme}://{parts.netloc}".lower())
    return origins


class ChatApiCors:
    """Starlette's CORS middleware, applied to the chat API paths only."""

    def __init__(self, app: ASGIApp, origins: list[str]) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=origins,
            allow_methods=["POST"],
            allow_headers=["Content-Type"],
            allow_credentials=False,
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Route chat API requests through the CORS check; everything else passes."""
        if scope["type"] == "http" and str(scope.get("path", "")).startswith(API_PREFIX):
            await self.cors(scope, receive, send)
            return
        await self.app(scope, receive, send)


def cors_middleware(settings: Settings) -> Middleware:
    """The middleware entry for the app."""
    return Middleware(ChatApiCors, origins=allowed_origins(settings.cors_allowed_origins))
