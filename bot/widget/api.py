"""The public chat API used by the embeddable widget: start, send, and poll staff replies."""

from __future__ import annotations

import asyncio
import json

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from bot.catalogue.db import unit_of_work
from bot.channels.engine_client import EngineUnavailableError
from bot.conversations.outbox import mark_delivered, pending_for_sender
from bot.i18n.languages import BY_CODE
from bot.i18n.translator import render
from bot.settings import Settings
from bot.widget.chat import EmptyMessageError, client_messages, web_chat
from bot.widget.conversation_ids import Conversation, InvalidConversationError
from bot.widget.request_body import BadRequestError, json_body, language_field, text_field
from bot.widget.rich_text import segments

CHANNEL = "web"
DESK_DOMAIN = "desk"


def _conversation(request: Request, data: dict[str, object]) -> Conversation:
    try:
        return web_chat(request.app).signer.read(data.get("conversation"), CHANNEL)
    except InvalidConversationError as error:
        raise BadRequestError("conversation", "unknown or altered conversation id", 403) from error


async def start_endpoint(request: Request) -> JSONResponse:
    """Issue a new signed conversation id."""
    settings: Settings = request.app.state.settings
    try:
        data = await json_body(request)
        language = language_field(data, default=settings.default_language)
    except BadRequestError as error:
        return error.response()
    token, _ = web_chat(request.app).signer.issue(CHANNEL)
    return JSONResponse(
        {"conversation": token, "language": language, "direction": BY_CODE[language].direction}
    )


async def send_endpoint(request: Request) -> JSONResponse:
    """One turn: the person's text (or a button payload the bot offered) to the engine."""
    settings: Settings = request.app.state.settings
    chat = web_chat(request.app)
    try:
        data = await json_body(request)
        conversation = _conversation(request, data)
        text = text_field(data, "text")
        language = language_field(data, default=settings.default_language)
        sender = conversation.sender_id(settings.pseudonym_key)
        messages = await chat.turn(sender, text, channel=CHANNEL, language=language)
    except BadRequestError as error:
        return error.response()
    except EmptyMessageError:
        return BadRequestError("text", "must not be empty").response()
    except EngineUnavailableError:
        return JSONResponse(
            {
                "error": "engine_unavailable",
                "message": render("widget_unavailable", language, domain=DESK_DOMAIN),
            },
            status_code=503,
        )
    return JSONResponse({"messages": client_messages(messages)})


async def language_endpoint(request: Request) -> JSONResponse:
    """The person chose a language from the widget's list: the assistant answers in it."""
    settings: Settings = request.app.state.settings
    chat = web_chat(request.app)
    try:
        data = await json_body(request)
        conversation = _conversation(request, data)
        if not data.get("language"):
            raise BadRequestError("language", "must not be empty")
        language = language_field(data)
    except BadRequestError as error:
        return error.response()
    sender = conversation.sender_id(settings.pseudonym_key)
    payload = "/choose_language" + json.dumps({"language": language})
    try:
        messages = await chat.command(sender, payload, channel=CHANNEL, language=language)
    except EngineUnavailableError:
        return JSONResponse(
            {
                "error": "engine_unavailable",
                "message": render("widget_unavailable", language, domain=DESK_DOMAIN),
            },
            status_code=503,
        )
    return JSONResponse({"messages": client_messages(messages), "language": language})


async def poll_endpoint(request: Request) -> JSONResponse:
    """Staff replies waiting for this conversation; they are marked delivered once returned."""
    settings: Settings = request.app.state.settings
    try:
        data = await json_body(request)
        conversation = _conversation(request, data)
    except BadRequestError as error:
        return error.response()
    sender = conversation.sender_id(settings.pseudonym_key)

    def _take() -> list[dict[str, object]]:
        with unit_of_work(request.app.state.sessions) as session:
            waiting = pending_for_sender(session, sender)
            mark_delivered(session, [m.id for m in waiting])
            return [{"segments": segments(m.text)} for m in waiting]

    return JSONResponse({"messages": await asyncio.to_thread(_take)})


def widget_api_routes() -> list[BaseRoute]:
    """Routes of the public chat API."""
    return [
        Route("/api/chat/start", start_endpoint, methods=["POST"]),
        Route("/api/chat/send", send_endpoint, methods=["POST"]),
        Route("/api/chat/language", language_endpoint, methods=["POST"]),
        Route("/api/chat/poll", poll_endpoint, methods=["POST"]),
    ]
