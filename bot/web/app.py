"""The ASGI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.routing import Route

from bot.catalogue.db import make_engine, make_session_factory
from bot.channels.engine_client import EngineClient
from bot.settings import Settings, get_settings
from bot.web.health import health_endpoint
from bot.web.nlg import nlg_endpoint


def create_app(settings: Settings | None = None) -> Starlette:
    """Build the web app; resources are opened on startup and closed on shutdown."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.engine_sql = make_engine(settings.database_url)
        app.state.sessions = make_session_factory(app.state.engine_sql)
        app.state.engine = EngineClient(
            settings.rasa_url, settings.rasa_token, settings.engine_timeout_seconds
        )
        yield
        await app.state.engine.aclose()
        app.state.engine_sql.dispose()

    routes = [
        Route("/nlg", nlg_endpoint, methods=["POST"]),
        Route("/health", health_endpoint, methods=["GET"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
