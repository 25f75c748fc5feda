"""The public widget page (shown inside the embed's iframe) and the embed script."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from bot.i18n.languages import BY_CODE, LANGUAGES, normalise_code
from bot.i18n.translator import render
from bot.settings import Settings

DESK_DOMAIN = "desk"
EMBED_SOURCE = Path(__file__).resolve().parent.parent / "web" / "static" / "widget" / "embed.js"
LABELS_MARK = "/*LAUNCHER_LABELS*/{}"
MAX_ORIGIN = 300
# message ids the widget's script needs (the page gives them to it in a data attribute)
SCRIPT_STRINGS = (
    "widget_unavailable",
    "widget_retry",
    "widget_error",
    "widget_staff_reply",
    "widget_you_label",
    "widget_bot_label",
    "widget_sending",
    "widget_choices_label",
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


def embedding_origin(value: str | None) -> str:
    """The http(s) origin of the page embedding the chat (`?host=`), or "" when unusable."""
    if not value or len(value) > MAX_ORIGIN:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


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
            host=embedding_origin(request.query_params.get("host")),
            strings_json=json.dumps({key: t(key) for key in SCRIPT_STRINGS}, ensure_ascii=False),
        )
    )
    return HTMLResponse(html)


@lru_cache(maxsize=4)
def embed_script(municipality: str) -> str:
    """The embed snippet's code with the launcher label of every language built in.

    The host page never fetches anything from the assistant: the labels travel inside the
    script, so no cross-origin request (and no CORS) is needed.
    """
    settings_like = {"municipality": municipality}
    labels = {
        language.code: {
            "open": render("widget_open", language.code, settings_like, domain=DESK_DOMAIN),
            "title": render("widget_title", language.code, settings_like, domain=DESK_DOMAIN),
            "dir": language.direction,
        }
        for language in LANGUAGES
    }
    code = EMBED_SOURCE.read_text(encoding="utf-8")
    return code.replace(LABELS_MARK, json.dumps(labels, ensure_ascii=False), 1)


async def embed_endpoint(request: Request) -> Response:
    """GET /widget/embed.js: the script a municipal website includes to offer the chat."""
    settings: Settings = request.app.state.settings
    return Response(
        embed_script(settings.municipality),
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=3600"},
    )


def widget_page_routes() -> list[BaseRoute]:
    """Routes of the widget page and launcher label."""
    return [
        Route("/widget", widget_page, methods=["GET"]),
        Route("/widget/embed.js", embed_endpoint, methods=["GET"]),
    ]
