"""Security headers on every response: a Content-Security-Policy without inline scripts.

Only the public widget page may be framed (by the sites listed in WIDGET_FRAME_ANCESTORS);
every other page refuses framing. Logging out also clears the browser's storage for this
site, because front-desk computers are shared.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FRAMEABLE_PATHS = ("/widget",)
LOGOUT_PATH = "/logout"


def content_security_policy(frame_ancestors: str) -> str:
    """The policy: scripts, styles, images, fonts and fetches from this origin only."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )


class SecurityHeadersMiddleware:
    """Pure ASGI middleware adding CSP and friends to every HTTP response."""

    def __init__(self, app: ASGIApp, widget_frame_ancestors: str = "*") -> None:
        self.app = app
        self.widget_policy = content_security_policy(widget_frame_ancestors or "*")
        self.default_policy = content_security_policy("'none'")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Add the headers when the response starts."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        frameable = path in FRAMEABLE_PATHS
        clears_storage = path == LOGOUT_PATH and scope.get("method") == "POST"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault(
                    "Content-Security-Policy",
                    self.widget_policy if frameable else self.default_policy,
                )
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                if not frameable:
                    headers.setdefault("X-Frame-Options", "DENY")
                if clears_storage:
                    headers["Clear-Site-Data"] = '"cache", "storage"'
            await send(message)

        await self.app(scope, receive, send_with_headers)
