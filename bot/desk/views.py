"""Rendering desk pages: Jinja2 (autoescape), staff strings from the `staff` domain.

Desk responses are never stored by the browser (`Cache-Control: no-store`): a front-desk
computer is shared, and after logout the Back button must not bring a conversation back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from bot.admin.pages import environment, interface_locale
from bot.catalogue.db import unit_of_work
from bot.desk.handoffs import waiting_count
from bot.i18n.formatting import babel_locale, language_name
from bot.i18n.languages import BY_CODE, LANGUAGES
from bot.i18n.translator import render
from bot.web.auth import csrf_token, current_user_cached
from bot.widget.rich_text import neutralise_bidi

STAFF_DOMAIN = "staff"
DESK_DOMAIN = "desk"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def staff_text(locale: str) -> Callable[..., str]:
    """`s("desk_x", name=value)`: a staff-domain string in `locale`."""

    def s(message_id: str, **variables: Any) -> str:
        return render(message_id, locale, variables, domain=STAFF_DOMAIN)

    return s


def citizen_text(locale: str, municipality: str) -> Callable[..., str]:
    """`t("card_x", name=value)`: a desk-domain (citizen-facing) string in `locale`."""

    def t(message_id: str, **variables: Any) -> str:
        return render(
            message_id, locale, {"municipality": municipality, **variables}, domain=DESK_DOMAIN
        )

    return t


def moment_formatter(locale: str, timezone: str) -> Callable[[dt.datetime | None], str]:
    """`when(moment)`: a short local date and time (naive database times are UTC)."""
    zone = ZoneInfo(timezone)

    def when(moment: dt.datetime | None) -> str:
        if moment is None:
            return ""
        aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        return str(format_datetime(aware, "short", tzinfo=zone, locale=babel_locale(locale)))

    return when


def no_store(response: Response) -> Response:
    """The response with headers that keep it out of every browser cache."""
    response.headers.update(NO_STORE)
    return response


def _waiting(request: Request) -> int:
    with unit_of_work(request.app.state.sessions) as session:
        return waiting_count(session)


async def render_desk(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    """A desk page in the staff interface language, with CSRF token, user and queue count."""
    locale = interface_locale(request)
    values: dict[str, Any] = {
        "s": staff_text(locale),
        "lang": locale,
        "csrf_token": csrf_token(request),
        "user": current_user_cached(request),
        "languages": LANGUAGES,
        "by_code": BY_CODE,
        "language_name": lambda code: language_name(code, locale),
        "waiting": await run_in_threadpool(_waiting, request),
        "path": request.url.path,
        "clean": lambda text: neutralise_bidi(str(text or "")),
        "when": moment_formatter(locale, request.app.state.settings.timezone),
    }
    values.update(context or {})
    html = environment().get_template(template).render(values)
    return no_store(HTMLResponse(html, status_code=status_code))
