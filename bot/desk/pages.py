"""Desk pages: the conversation, a service's bilingual card, the printed hand-over, its QR."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.admin.pages import interface_locale
from bot.catalogue.db import unit_of_work
from bot.desk.cards import CardView, card_views
from bot.desk.chat_api import SESSION_DETECTED, SESSION_LANGUAGE
from bot.desk.handover import HandoverLink, handover_link, qr_svg
from bot.desk.transcript import ITALIAN
from bot.desk.views import citizen_text, no_store, render_desk, staff_text
from bot.i18n.formatting import date_label
from bot.i18n.languages import normalise_code
from bot.settings import Settings
from bot.web.auth import requires_roles

# staff strings the desk script needs ({language} is filled in by the script)
SCRIPT_STRINGS = (
    "desk_speaker_desk",
    "desk_speaker_bot",
    "desk_column_italian",
    "desk_sending",
    "desk_unavailable",
    "desk_error",
    "desk_language_chosen",
    "desk_language_detected",
    "desk_language_waiting",
    "desk_new_started",
    "desk_suggested",
)


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def citizen_language(request: Request) -> str:
    """`?lang=` when given, else the desk conversation's language, else Italian."""
    for candidate in (
        request.query_params.get("lang"),
        request.session.get(SESSION_LANGUAGE),
        request.session.get(SESSION_DETECTED),
    ):
        code = normalise_code(candidate) if isinstance(candidate, str) else None
        if code:
            return code
    return ITALIAN


def _cards(request: Request, service_id: str, locale: str) -> list[CardView]:
    with unit_of_work(request.app.state.sessions) as session:
        return card_views(session, service_id, [locale, ITALIAN], _settings(request))


@requires_roles("desk")
async def desk_page(request: Request) -> Response:
    """The conversation page (the script reads the transcript back from the server)."""
    chosen = normalise_code(request.session.get(SESSION_LANGUAGE) or "") or ""
    s = staff_text(interface_locale(request))
    strings = {key: s(key, language="{language}") for key in SCRIPT_STRINGS}
    context = {"chosen": chosen, "strings_json": json.dumps(strings, ensure_ascii=False)}
    return await render_desk(request, "desk/chat.html", context)


async def _not_found(request: Request) -> Response:
    return await render_desk(request, "desk/not_found.html", status_code=404)


@requires_roles("desk")
async def card_fragment(request: Request) -> Response:
    """The card of one service in the citizen's language and in Italian (an HTML fragment)."""
    service_id = request.path_params["service_id"]
    locale = citizen_language(request)
    cards = await asyncio.to_thread(_cards, request, service_id, locale)
    if not cards:
        return await _not_found(request)
    link = handover_link(_settings(request), service_id)
    return await render_desk(
        request,
        "desk/card_pair.html",
        {"cards": cards, "citizen_lang": locale, "link": link, "service_id": service_id},
    )


@requires_roles("desk")
async def print_page(request: Request) -> Response:
    """One printable page: the card in the citizen's language, the QR code, then Italian."""
    service_id = request.path_params["service_id"]
    locale = citizen_language(request)
    cards = await asyncio.to_thread(_cards, request, service_id, locale)
    if not cards:
        return await _not_found(request)
    settings = _settings(request)
    link: HandoverLink = handover_link(settings, service_id)
    today = dt.datetime.now(dt.UTC).date()
    return await render_desk(
        request,
        "desk/print.html",
        {
            "cards": cards,
            "citizen": cards[0],
            "italian": cards[1] if len(cards) > 1 else None,
            "t": citizen_text(locale, settings.municipality),
            "as_of": date_label(today, locale),
            "link": link,
            "service_id": service_id,
        },
    )


@requires_roles("desk")
async def qr_image(request: Request) -> Response:
    """The QR code (SVG) of the Telegram deep link of a service; 404 when there is none."""
    service_id = request.path_params["service_id"]
    cards = await asyncio.to_thread(_cards, request, service_id, ITALIAN)
    link = handover_link(_settings(request), service_id)
    if not cards or link.url is None:
        return no_store(Response("no QR code for this service", 404, media_type="text/plain"))
    return no_store(Response(qr_svg(link.url), media_type="image/svg+xml"))


def page_routes() -> list[BaseRoute]:
    """Routes of the desk pages."""
    return [
        Route("/desk", desk_page, methods=["GET"]),
        Route("/desk/card/{service_id:str}", card_fragment, methods=["GET"]),
        Route("/desk/print/{service_id:str}", print_page, methods=["GET"]),
        Route("/desk/qr/{service_id:str}.svg", qr_image, methods=["GET"]),
    ]
