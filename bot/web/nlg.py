"""Rasa's NLG endpoint: every bot text is rendered here from `locales/`."""

from __future__ import annotations

import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from bot.i18n.negotiation import language_from_tracker, language_switch
from bot.i18n.replies import compose, with_way_back
from bot.i18n.translator import MissingMessageError
from bot.runner.internal_token import tokens_match
from bot.settings import Settings

logger = logging.getLogger(__name__)
FALLBACK_RESPONSE = "utter_default"


def token_ok(request: Request, expected: str) -> bool:
    """Constant-time check of the `token` query parameter Rasa sends to its endpoints."""
    return tokens_match(expected, request.query_params.get("token", ""))


async def nlg_endpoint(request: Request) -> JSONResponse:
    """Render the response Rasa asks for in the negotiated language."""
    settings: Settings = request.app.state.settings
    if not token_ok(request, settings.internal_token):
        return JSONResponse({"error": "invalid token"}, status_code=401)
    try:
        body: dict[str, Any] = await request.json()
        response = str(body["response"])
    except (ValueError, KeyError, TypeError, RecursionError):
        return JSONResponse({"error": "body must be JSON with a 'response' field"}, 400)
    try:
        return _render(settings, response, body)
    except (AttributeError, KeyError, TypeError, ValueError) as error:  # a malformed tracker
        logger.warning("NLG request refused: %s", type(error).__name__)
        return JSONResponse({"error": "malformed arguments or tracker", "field": "body"}, 400)


def _render(settings: Settings, response: str, body: dict[str, Any]) -> JSONResponse:
    """The reply for one NLG request (raises on a malformed body)."""
    arguments = body.get("arguments") or {}
    tracker = body.get("tracker") or {}
    locale = arguments.get("language") or language_from_tracker(tracker, settings.default_language)
    variables = {"municipality": settings.municipality, **arguments}
    try:
        reply = compose(response, variables, locale)
    except MissingMessageError:
        logger.error("no message %s in any locale; answering with %s", response, FALLBACK_RESPONSE)
        reply = compose(FALLBACK_RESPONSE, variables, locale)
    switch = language_switch(tracker)
    if switch and switch[0] == locale:
        reply = with_way_back(reply, locale, previous=switch[1])
    return JSONResponse(reply.as_rasa())
