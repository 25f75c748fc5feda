"""A transparent HTTP front of the real Rasa server that a test can take down or slow down.

The Telegram bot under test talks to Rasa through it, so a test can make the engine
unavailable (503, as a load balancer answers for a dead backend) and bring it back, or
hold one person's messages to show that other chats are answered meanwhile.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any

import httpx
import uvicorn
from starlette.types import Receive, Scope, Send

from tests.helpers import free_port

HOP_BY_HOP = {"host", "content-length", "connection", "transfer-encoding"}


class EngineFront:
    """Forwards every request to `target`; `down` and `hold` change that."""

    def __init__(self, target: str) -> None:
        self.target = target.rstrip("/")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.down = False
        self.refused = 0  # requests answered 503 while down
        self._held: dict[str, threading.Event] = {}
        self._delays: dict[str, list[float]] = {}
        self._server = uvicorn.Server(
            uvicorn.Config(self, host="127.0.0.1", port=self.port, log_level="warning")
        )
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._http: httpx.AsyncClient | None = None

    def start(self) -> None:
        """Serve in a background thread until `stop`."""
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the engine front did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        """Release held requests and stop serving."""
        for event in self._held.values():
            event.set()
        self._server.should_exit = True
        self._thread.join(timeout=15)

    def hold(self, sender: str) -> None:
        """Keep this sender's messages waiting until `release`."""
        self._held[sender] = threading.Event()

    def delay_next(self, sender: str, seconds: float) -> None:
        """Make this sender's next message take `seconds` longer (a slow turn)."""
        self._delays.setdefault(sender, []).append(seconds)

    def release(self, sender: str) -> None:
        """Let this sender's messages through."""
        event = self._held.pop(sender, None)
        if event is not None:
            event.set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The ASGI app: forward, refuse or hold."""
        if scope["type"] == "lifespan":
            while True:
                event = (await receive())["type"]
                await send({"type": f"{event}.complete"})  # startup, then shutdown
                if event == "lifespan.shutdown":
                    return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        if self.down:
            self.refused += 1
            await self._answer(send, 503, b'{"error": "engine down (test)"}', {})
            return
        await self._wait_if_held(body)
        status, content, headers = await self._forward(scope, body)
        await self._answer(send, status, content, headers)

    async def _wait_if_held(self, body: bytes) -> None:
        try:
            sender = str(json.loads(body).get("sender", ""))
        except (ValueError, AttributeError):
            return
        delays = self._delays.get(sender)
        if delays:
            await asyncio.sleep(delays.pop(0))
        event = self._held.get(sender)
        if event is not None:
            await asyncio.to_thread(event.wait, 120)

    async def _forward(self, scope: Scope, body: bytes) -> tuple[int, bytes, dict[str, str]]:
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=120)
        query = scope.get("query_string", b"").decode()
        url = f"{self.target}{scope['path']}" + (f"?{query}" if query else "")
        headers = {
            k.decode(): v.decode() for k, v in scope["headers"] if k.decode() not in HOP_BY_HOP
        }
        response = await self._http.request(scope["method"], url, content=body, headers=headers)
        kept = {k: v for k, v in response.headers.items() if k.lower() not in HOP_BY_HOP}
        kept.pop("content-encoding", None)
        return response.status_code, response.content, kept

    @staticmethod
    async def _answer(send: Send, status: int, content: bytes, headers: dict[str, Any]) -> None:
        raw = [(k.encode(), str(v).encode()) for k, v in headers.items()]
        raw.append((b"content-length", str(len(content)).encode()))
        if not any(k.lower() == "content-type" for k in headers):
            raw.append((b"content-type", b"application/json"))
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": content})
