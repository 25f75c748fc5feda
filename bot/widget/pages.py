"""The public widget page (shown inside the embed's iframe) and the launcher's label."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import BaseRoute, Route

from bot.i18n.languages import BY_CODE, LANGUAGES, normalise_code
from bot.i18n.translator import render
from bot.settings import Settings

DESK_DOMAIN = "desk"
# message ids the widget's script needs (the page gives them to it in a data attribute)
SCRIPT_STRINGS = (
    "widget_unavailable",
    "widget_retry",
    "widget_error",
    "widget_staff_reply",
    "widget_you_label",
    "widget_bot_label",
    "widget_sending",
)


def translate_for(locale: str, settings: Settings) -> Callable[..., str]:
    """`t("msgid", name=value)` in the desk domain, with the municipality filled in."""

    def t(message_id: str, **variables: Any) -> str:
        return render(
            message_id,
            locale,
            {"municipality": settings.municipality, **variables},
            domain=DESK_DOMAIN,
        )

    return t


def page_language(request: Request, settings: Settings) -> str:
    """`?lang=`, else the browser's language, else the default language."""
    code = normalise_code(request.query_params.get("lang"))
    if code:
        return code
    for part in request.headers.get("accept-language", "").split(","):
        code = normalise_code(part.split(";")[0])
        if code:
            return code
    return normalise_code(settings.default_language) or "it"


async def widget_page(request: Request) -> HTMLResponse:
    """The chat page, in the person's language and direction."""
    from bot.admin.pages import environment

    settings: Settings = request.app.state.settings
    lang = page_language(request, settings)
    t = translate_for(lang, settings)
    html = (
        environment()
        .get_template("widget/chat.html")
        .render(
            t=t,
            lang=lang,
            direction=BY_CODE[lang].direction,
            languages=LANGUAGES,
            embedded=request.query_params.get("embedded") == "1",
            strings_json=json.dumps({key: t(key) for key in SCRIPT_STRINGS}, ensure_ascii=False),
        )
    )
    return HTMLResponse(html)


async def launcher_endpoint(request: Request) -> JSONResponse:
    """The launcher button's label for a host page (public text, readable from any site)."""
    settings: Settings = request.app.state.settings
    lang = page_language(request, settings)
    t = translate_for(lang, settings)
    return JSONResponse(
        {
            "language": lang,
            "direction": BY_CODE[lang].direction,
            "open": t("widget_open"),
            "title": t("widget_title"),
        },
        headers={"Access-Control-Allow-Origin": "*"},
    )


def widget_page_routes() -> list[BaseRoute]:
    """Routes of the widget page and launcher label."""
    return [
        Route("/widget", widget_page, methods=["GET"]),
        Route("/widget/launcher", launcher_endpoint, methods=["GET"]),
    ]
