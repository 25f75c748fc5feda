"""Refuse oversize request bodies early, on every route, before an endpoint reads them.

A declared Content-Length above the limit is answered 413 at once, without reading a
byte of the body. A body without a length (chunked) is counted as it streams: once it
passes the limit the endpoint's read is aborted and the client gets the same 413. Only
the catalogue import accepts large uploads (its own, larger limit).
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

UPLOAD_PATHS = ("/admin/exchange/import",)
MULTIPART_OVERHEAD = 64 * 1024  # form boundaries and the other fields of an upload form


class BodyTooLargeError(Exception):
    """The streamed body passed the limit of its route."""


def too_large(limit: int) -> JSONResponse:
    """The 413 answer, naming the limit."""
    return JSONResponse(
        {"error": f"request body larger than {limit} bytes", "field": "body", "limit": limit},
        status_code=413,
        headers={"Connection": "close"},
    )


class RequestLimitsMiddleware:
    """Pure ASGI middleware: a byte limit per request body (larger for upload paths)."""

    def __init__(
        self,
        app: ASGIApp,
        max_body_bytes: int,
        upload_limits: Mapping[str, int] | None = None,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.upload_limits = dict(upload_limits or {})

    def limit_for(self, path: str) -> int:
        """The byte limit of a request to `path`."""
        return self.upload_limits.get(path, self.max_body_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the declared length, then count what streams in."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.strip().isdigit() or int(declared) > limit):
            await too_large(limit)(scope, receive, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLargeError(path_of(scope))
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLargeError:
            if started:  # the endpoint answered before reading it all: nothing more to say
                return
            await too_large(limit)(scope, receive, send)


def path_of(scope: Scope) -> str:
    """The request path, for error messages."""
    return str(scope.get("path", ""))
