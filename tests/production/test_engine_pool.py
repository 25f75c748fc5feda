"""The engine pool's retry rule against real HTTP servers: resend only what cannot have been
processed; the loopback balancer follows the same rule for action calls."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.channels.engine_client import EngineClient, EngineUnavailableError
from bot.runner.balancer import create_app as balancer_app
from tests.helpers import free_port, stack_settings

pytestmark = pytest.mark.production


@dataclass
class FakeServer:
    """A real HTTP server on loopback that answers with a fixed status and counts requests."""

    status: int
    body: object
    hits: list[str] = field(default_factory=list)
    port: int = field(default_factory=free_port)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def app(self) -> Starlette:
        async def any_path(request: Request) -> JSONResponse:
            self.hits.append(f"{request.method} {request.url.path}")
            return JSONResponse(self.body, status_code=self.status)

        paths = ["/webhooks/rest/webhook", "/status", "/webhook", "/health"]
        return Starlette(routes=[Route(p, any_path, methods=["GET", "POST"]) for p in paths])


@contextmanager
def _serve(app: Starlette, port: int) -> Iterator[None]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def ok_server() -> Iterator[FakeServer]:
    fake = FakeServer(200, [{"text": "ok"}])
    with _serve(fake.app(), fake.port):
        yield fake


@pytest.fixture
def failing_server() -> Iterator[FakeServer]:
    fake = FakeServer(500, {"error": "boom"})
    with _serve(fake.app(), fake.port):
        yield fake


def _dead() -> str:
    return f"http://127.0.0.1:{free_port()}"  # nobody listens: connection refused


async def test_a_message_refused_by_one_server_goes_to_the_next(ok_server: FakeServer) -> None:
    client = EngineClient(f"{_dead()},{ok_server.url}", "token", timeout=5)
    try:
        for _ in range(3):
            assert await client.send("someone", "hello") == [{"text": "ok"}]
    finally:
        await client.aclose()
    assert ok_server.hits == ["POST /webhooks/rest/webhook"] * 3


async def test_a_message_that_got_a_500_is_not_resent_but_a_read_is(
    failing_server: FakeServer, ok_server: FakeServer
) -> None:
    client = EngineClient(f"{failing_server.url},{ok_server.url}", "token", timeout=5)
    try:
        with pytest.raises(EngineUnavailableError):
            await client.send("someone", "hello")  # may have been processed: not resent
        assert ok_server.hits == []
        for _ in range(2):  # round robin: one of the two reads starts at the failing server
            await client.status()  # a read: retried on the other server
    finally:
        await client.aclose()
    assert failing_server.hits == ["POST /webhooks/rest/webhook", "GET /status"]
    assert ok_server.hits == ["GET /status", "GET /status"]


async def test_an_empty_answer_is_unavailable_not_silence() -> None:
    empty = FakeServer(200, [])
    with _serve(empty.app(), empty.port):
        client = EngineClient(empty.url, "token", timeout=5)
        try:
            with pytest.raises(EngineUnavailableError):
                await client.send("someone", "hello")
        finally:
            await client.aclose()


def test_the_balancer_skips_a_refused_action_server_and_never_repeats_a_failed_call(
    tmp_path: Path, ok_server: FakeServer, failing_server: FakeServer
) -> None:
    port = free_port()
    backends = f"{_dead()}/webhook,{failing_server.url}/webhook,{ok_server.url}/webhook"
    settings = stack_settings(tmp_path, action_backend_urls=backends)
    with _serve(balancer_app(settings), port):
        statuses = [
            httpx.post(f"http://127.0.0.1:{port}/webhook", json={"next_action": "a"}).status_code
            for _ in range(3)
        ]
        health = httpx.get(f"http://127.0.0.1:{port}/health").json()["backends"]
    # round robin: dead -> (refused, so) failing; failing; ok. The 500 is passed on, never retried
    assert statuses == [500, 500, 200]
    assert len(failing_server.hits) == 2 + 1 and len(ok_server.hits) == 1 + 1  # + health checks
    assert list(health.values()) == [False, False, True]  # refused, 500, ok
