"""The ASGI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.catalogue.db import make_engine, make_session_factory
from bot.channels.engine_client import EngineClient
from bot.settings import Settings, get_settings
from bot.web.auth import auth_routes, session_middleware
from bot.web.cors import cors_middleware
from bot.web.health import health_endpoint
from bot.web.nlg import nlg_endpoint
from bot.web.openapi import openapi_routes
from bot.web.request_limits import MULTIPART_OVERHEAD, UPLOAD_PATHS, RequestLimitsMiddleware
from bot.web.security_headers import SecurityHeadersMiddleware
from bot.web.telegram_webhook import telegram_routes, telegram_webhook_bot

STATIC_DIR = Path(__file__).resolve().parent / "static"


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
        async with telegram_webhook_bot(app, settings):  # webhook mode only
            yield
        await app.state.engine.aclose()
        app.state.engine_sql.dispose()

    from bot.admin.routes import admin_routes
    from bot.desk.routes import desk_routes
    from bot.widget.routes import widget_routes

    routes = [
        Route("/nlg", nlg_endpoint, methods=["POST"]),
        Route("/health", health_endpoint, methods=["GET"]),
        *auth_routes(),
        *admin_routes(),
        *widget_routes(),
        *desk_routes(),
        *telegram_routes(),
        *openapi_routes(),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    ]
    upload_limit = settings.max_upload_bytes + MULTIPART_OVERHEAD
    middleware = [
        Middleware(
            SecurityHeadersMiddleware, widget_frame_ancestors=settings.widget_frame_ancestors
        ),
        Middleware(
            RequestLimitsMiddleware,
            max_body_bytes=settings.max_request_bytes,
            upload_limits=dict.fromkeys(UPLOAD_PATHS, upload_limit),
        ),
        cors_middleware(settings),
        session_middleware(settings),
    ]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
