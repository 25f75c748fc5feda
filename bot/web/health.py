"""The health endpoint: is Rasa, the action server and the database up?"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse

from bot.channels.engine_client import EngineUnavailableError


async def _check_rasa(request: Request) -> dict[str, Any]:
    try:
        status = await request.app.state.engine.status()
    except EngineUnavailableError as error:
        return {"ok": False, "error": str(error)[:200]}
    model = status.get("model_file")
    return {"ok": bool(model), "model": model}


async def _check_actions(request: Request) -> dict[str, Any]:
    url = request.app.state.settings.action_server_url.rsplit("/webhook", 1)[0] + "/health"
    try:
        async with httpx.AsyncClient(timeout=3.0) as client:
            response = await client.get(url)
        return {"ok": response.status_code == 200}
    except httpx.HTTPError as error:
        return {"ok": False, "error": str(error)[:200] or type(error).__name__}


def _check_database(request: Request) -> dict[str, Any]:
    try:
        with request.app.state.sessions() as session:
            session.execute(text("SELECT 1"))
        return {"ok": True, "dialect": request.app.state.engine_sql.dialect.name}
    except Exception as error:  # any driver error means unhealthy
        return {"ok": False, "error": type(error).__name__}


async def health_endpoint(request: Request) -> JSONResponse:
    """200 with every component's state when all are up, 503 otherwise."""
    rasa, actions, database = await asyncio.gather(
        _check_rasa(request),
        _check_actions(request),
        asyncio.to_thread(_check_database, request),
    )
    components = {"rasa": rasa, "action_server": actions, "database": database}
    healthy = all(part["ok"] for part in components.values())
    return JSONResponse(
        {"status": "ok" if healthy else "degraded", "components": components},
        status_code=200 if healthy else 503,
    )
