"""Preview: ask the assistant a question in any language and see the answer it gives now.

The question goes through the same gateway and engine as the channels, from a throwaway
sender id; afterwards that conversation and anything it recorded are erased, so previews
never show up in the insight figures.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from typing import Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.admin.context import sessions, settings
from bot.admin.forms import FormReader
from bot.admin.pages import render
from bot.admin.permissions import READ_ROLES
from bot.catalogue.models import Service
from bot.channels.engine_client import EngineUnavailableError
from bot.channels.gateway import ConversationGateway
from bot.channels.payload_guard import guard_user_text
from bot.i18n.languages import LANGUAGES, is_rtl, normalise_code
from bot.privacy.erasure import erase_sender
from bot.web.auth import requires_roles

PREVIEW_CHANNEL = "admin_preview"
SENDER_PREFIX = "admin-preview-"
MAX_QUESTION = 500


def preview_sender() -> str:
    """A fresh sender id nobody else uses."""
    return SENDER_PREFIX + secrets.token_hex(12)


def shape(messages: list[dict[str, Any]], names: dict[str, str]) -> list[dict[str, Any]]:
    """Bot messages as the preview shows them: text, button labels, the services shown."""
    shaped: list[dict[str, Any]] = []
    for message in messages:
        custom = message.get("custom")
        service = None
        if isinstance(custom, dict) and custom.get("type") == "service" and custom.get("id"):
            service_id = str(custom["id"])
            service = {"id": service_id, "name": names.get(service_id, service_id)}
        entry = {
            "text": str(message.get("text") or ""),
            "buttons": [str(b.get("title", "")) for b in message.get("buttons") or []],
            "service": service,
        }
        if service and not entry["text"] and shaped and shaped[-1]["service"] is None:
            shaped[-1]["service"] = service  # the card's data travels in the next message
        elif entry["text"] or entry["buttons"] or entry["service"]:
            shaped.append(entry)
    return shaped


async def ask(request: Request, question: str, language: str) -> list[dict[str, Any]]:
    """One turn through the real engine from a throwaway sender, then erase it."""
    app_settings = settings(request)
    sender = preview_sender()
    gateway = ConversationGateway(app_settings, request.app.state.engine)
    try:
        turn = await gateway.turn(
            sender,
            guard_user_text(question, frozenset()),
            {"channel": PREVIEW_CHANNEL, "language": language},
        )
    finally:
        await asyncio.to_thread(erase_sender, app_settings, sender)
    return turn.messages


def _service_names(request: Request, messages: list[dict[str, Any]]) -> dict[str, str]:
    ids = [
        str(m["custom"]["id"])
        for m in messages
        if isinstance(m.get("custom"), dict) and m["custom"].get("id")
    ]
    if not ids:
        return {}
    with sessions(request)() as session:
        return dict(
            session.execute(select(Service.id, Service.name).where(Service.id.in_(ids))).all()
        )


@requires_roles(*READ_ROLES)
async def preview_page(request: Request) -> Response:
    """GET/POST /admin/preview: the question form and, after asking, the bot's answer."""
    context: dict[str, Any] = {
        "languages": LANGUAGES,
        "language": "it",
        "question": "",
        "errors": {},
        "answer": None,
        "unavailable": False,
        "max_question": MAX_QUESTION,
    }
    if request.method == "GET":
        return render(request, "admin/preview.html", context)
    reader = FormReader(await request.form())
    question = reader.text("question", required=True, max_length=MAX_QUESTION) or ""
    language = normalise_code(reader.raw("language"))
    if language is None:
        reader.errors["language"] = "unknown_choice"
    context.update(question=question, language=language or "it", errors=reader.errors)
    if reader.errors:
        return render(request, "admin/preview.html", context, 400)
    started = time.perf_counter()
    try:
        messages = await ask(request, question, context["language"])
    except EngineUnavailableError:
        context["unavailable"] = True
        return render(request, "admin/preview.html", context, 503)
    context["elapsed_ms"] = round((time.perf_counter() - started) * 1000)
    context["answer"] = shape(messages, _service_names(request, messages))
    context["direction"] = "rtl" if is_rtl(context["language"]) else "ltr"
    return render(request, "admin/preview.html", context)


def routes() -> list[Route]:
    """Routes of the preview page."""
    return [Route("/admin/preview", preview_page, methods=["GET", "POST"])]
