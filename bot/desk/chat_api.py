"""The desk's conversation with the assistant: JSON endpoints behind the staff login.

The conversation belongs to the staff session (its id lives only in the signed session
cookie, which logout clears), never to browser storage: reloading the page reads the
transcript back from the engine, logging out ends it.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.catalogue.db import unit_of_work
from bot.catalogue.repository import CatalogueRepository
from bot.channels.engine_client import EngineUnavailableError
from bot.desk.cards import load_card
from bot.desk.transcript import ITALIAN, ConversationLanguage, conversation_language, transcript
from bot.desk.views import no_store, staff_text
from bot.i18n.languages import normalise_code
from bot.settings import Settings
from bot.web.auth import requires_roles
from bot.widget.chat import EmptyMessageError, client_messages, web_chat
from bot.widget.conversation_ids import Conversation
from bot.widget.request_body import BadRequestError, json_body, text_field

CHANNEL = "desk"
SESSION_CONVERSATION = "desk_conversation"
SESSION_LANGUAGE = "desk_language"  # the language the staff chose ("" = detect)
SESSION_DETECTED = "desk_detected"  # the language last detected in the conversation
MAX_SERVICE_ID = 64

Send = Callable[[str, str], Awaitable[list[dict[str, Any]]]]  # (sender id, language) -> reply


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def current_conversation(request: Request) -> Conversation:
    """The desk conversation of this staff session (a new one when there is none)."""
    raw_id = request.session.get(SESSION_CONVERSATION)
    if not isinstance(raw_id, str) or not raw_id:
        raw_id = secrets.token_urlsafe(18)
        request.session[SESSION_CONVERSATION] = raw_id
    return Conversation(CHANNEL, raw_id)


def new_conversation(request: Request) -> Conversation:
    """Forget the session's conversation and language; start a new one."""
    for key in (SESSION_CONVERSATION, SESSION_LANGUAGE, SESSION_DETECTED):
        request.session.pop(key, None)
    return current_conversation(request)


def conversation_hint(request: Request) -> str:
    """The language to tell the engine: chosen, else last detected, else the default."""
    for key in (SESSION_LANGUAGE, SESSION_DETECTED):
        code = normalise_code(request.session.get(key))
        if code:
            return code
    return normalise_code(_settings(request).default_language) or ITALIAN


def _json(data: dict[str, Any], status_code: int = 200) -> Response:
    return no_store(JSONResponse(data, status_code=status_code))


def _bad(error: BadRequestError) -> Response:
    return no_store(error.response())


async def _desk_messages(
    request: Request, sender_id: str, fallback: list[dict[str, Any]] | None, latest_only: bool
) -> tuple[list[dict[str, Any]], ConversationLanguage]:
    """The transcript (or the latest turn) with Italian versions, and the language."""
    settings = _settings(request)
    hint = conversation_hint(request)
    try:
        tracker = await request.app.state.engine.tracker(sender_id)
    except EngineUnavailableError:
        tracker = None
    if tracker is not None:
        language = conversation_language(tracker, hint)

        def build() -> list[dict[str, Any]]:
            with unit_of_work(request.app.state.sessions) as session:

                def italian_card(service_id: str) -> dict[str, Any] | None:
                    return load_card(session, service_id, ITALIAN, settings)

                return transcript(
                    tracker.get("events") or [],
                    language.code,
                    italian_card,
                    settings.municipality,
                    latest_turn_only=latest_only,
                )

        messages = await asyncio.to_thread(build)
        if language.detected:
            request.session[SESSION_DETECTED] = language.code
        if messages or not fallback:
            return messages, language
    chosen = bool(request.session.get(SESSION_LANGUAGE))
    return _citizen_only(fallback or [], hint), ConversationLanguage(hint, chosen, False)


def _citizen_only(messages: list[dict[str, Any]], locale: str) -> list[dict[str, Any]]:
    """The engine's reply without Italian versions (when the tracker cannot be read)."""
    shaped = []
    for message in client_messages(messages):
        service_id = message.pop("service_id", None)
        citizen = {"lang": locale, "dir": "auto", "segments": [], "buttons": [], **message}
        shaped.append(
            {
                "role": "bot",
                "citizen": citizen,
                "italian": None,
                "service_id": service_id,
                "card": bool(service_id) and not message.get("segments"),
            }
        )
    return shaped


async def _turn(request: Request, send: Send) -> Response:
    """Run one exchange with the engine and answer with the bilingual latest turn."""
    conversation = current_conversation(request)
    sender = conversation.sender_id(_settings(request).pseudonym_key)
    try:
        raw = await send(sender, conversation_hint(request))
    except EmptyMessageError:
        return _bad(BadRequestError("text", "must not be empty"))
    except EngineUnavailableError:
        s = staff_text(_interface_locale(request))
        return _json({"error": "engine_unavailable", "message": s("desk_unavailable")}, 503)
    messages, language = await _desk_messages(request, sender, raw, latest_only=True)
    return _json({"messages": messages, "language": language.as_json()})


def _interface_locale(request: Request) -> str:
    from bot.admin.pages import interface_locale

    return interface_locale(request)


@requires_roles("desk")
async def history_endpoint(request: Request) -> Response:
    """GET: the whole desk conversation so far (after a reload), with Italian versions."""
    raw_id = request.session.get(SESSION_CONVERSATION)
    if not isinstance(raw_id, str) or not raw_id:
        language = ConversationLanguage(conversation_hint(request), False, False)
        return _json({"messages": [], "language": language.as_json(), "chosen": ""})
    sender = Conversation(CHANNEL, raw_id).sender_id(_settings(request).pseudonym_key)
    messages, language = await _desk_messages(request, sender, None, latest_only=False)
    chosen = request.session.get(SESSION_LANGUAGE) or ""
    return _json({"messages": messages, "language": language.as_json(), "chosen": chosen})


@requires_roles("desk")
async def send_endpoint(request: Request) -> Response:
    """POST {"text"}: what the person (or staff) typed, or a button the assistant offered."""
    try:
        text = text_field(await json_body(request), "text")
    except BadRequestError as error:
        return _bad(error)
    chat = web_chat(request.app)

    async def send(sender: str, language: str) -> list[dict[str, Any]]:
        return await chat.turn(sender, text, channel=CHANNEL, language=language)

    return await _turn(request, send)


@requires_roles("desk")
async def language_endpoint(request: Request) -> Response:
    """POST {"language": code}: answer in that language from now on; "" detects it again."""
    try:
        data = await json_body(request)
    except BadRequestError as error:
        return _bad(error)
    value = data.get("language")
    if value == "":
        new_conversation(request)
        language = ConversationLanguage(conversation_hint(request), False, False)
        return _json({"messages": [], "language": language.as_json(), "restarted": True})
    code = normalise_code(value) if isinstance(value, str) else None
    if code is None:
        return _bad(BadRequestError("language", "not a supported language"))
    return await choose_language(request, code)


async def choose_language(request: Request, code: str) -> Response:
    """The assistant answers in `code` (a supported language) from now on."""
    request.session[SESSION_LANGUAGE] = code
    chat = web_chat(request.app)
    payload = "/choose_language" + json.dumps({"language": code})

    async def send(sender: str, language: str) -> list[dict[str, Any]]:
        return await chat.command(sender, payload, channel=CHANNEL, language=language)

    return await _turn(request, send)


def _service_exists(request: Request, service_id: str) -> bool:
    with unit_of_work(request.app.state.sessions) as session:
        return CatalogueRepository(session).service(service_id) is not None


async def show_service(request: Request, service_id: str) -> Response:
    """Ask the assistant to present a service in the conversation (so follow-ups work)."""
    if not service_id or len(service_id) > MAX_SERVICE_ID:
        return _bad(BadRequestError("service_id", "must be a service id"))
    if not await asyncio.to_thread(_service_exists, request, service_id):
        return _bad(BadRequestError("service_id", "no active service with this id", 404))
    chat = web_chat(request.app)
    payload = "/select_service" + json.dumps({"service_id": service_id})

    async def send(sender: str, language: str) -> list[dict[str, Any]]:
        return await chat.command(sender, payload, channel=CHANNEL, language=language)

    return await _turn(request, send)


@requires_roles("desk")
async def show_endpoint(request: Request) -> Response:
    """POST {"service_id"}: present that catalogue service in the conversation."""
    try:
        service_id = text_field(await json_body(request), "service_id", max_chars=MAX_SERVICE_ID)
    except BadRequestError as error:
        return _bad(error)
    return await show_service(request, service_id.strip())


@requires_roles("desk")
async def new_endpoint(request: Request) -> Response:
    """POST: a new person at the desk: a new conversation, language detected again."""
    new_conversation(request)
    language = ConversationLanguage(conversation_hint(request), False, False)
    return _json({"messages": [], "language": language.as_json(), "restarted": True})


def chat_api_routes() -> list[BaseRoute]:
    """Routes of the desk conversation API."""
    return [
        Route("/desk/api/chat", history_endpoint, methods=["GET"]),
        Route("/desk/api/chat/send", send_endpoint, methods=["POST"]),
        Route("/desk/api/chat/language", language_endpoint, methods=["POST"]),
        Route("/desk/api/chat/show", show_endpoint, methods=["POST"]),
        Route("/desk/api/chat/new", new_endpoint, methods=["POST"]),
    ]
