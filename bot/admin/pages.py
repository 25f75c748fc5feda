"""Rendering staff pages (login, admin): Jinja2, autoescape, the `admin` gettext domain."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from bot.i18n.languages import BY_CODE
from bot.i18n.translator import catalog

logger = logging.getLogger(__name__)

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "web" / "templates"
ADMIN_DOMAIN = "admin"
ADMIN_LOCALES: tuple[str, ...] = ("it", "en")
LANGUAGE_SESSION_KEY = "admin_lang"
FORMAT_LOCALES = {"it": "it_IT", "en": "en_GB"}  # dates as people in Italy read them


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment for staff pages (autoescape on for HTML)."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "xml"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def interface_locale(request: Request) -> str:
    """The admin interface language: the one chosen in the session, else the browser's, else it."""
    chosen = request.session.get(LANGUAGE_SESSION_KEY) if "session" in request.scope else None
    if chosen in ADMIN_LOCALES:
        return str(chosen)
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().split("-")[0].lower()
        if code in ADMIN_LOCALES:
            return code
    return ADMIN_LOCALES[0]


def gettext_for(locale: str) -> Callable[..., str]:
    """`_("msgid", name=value)`: the admin-domain text in `locale`, with `{name}` filled in."""
    translations = catalog(locale, ADMIN_DOMAIN)

    def _(message: str, **variables: Any) -> str:
        text = translations.gettext(message) if translations is not None else message
        if text == message:
            logger.warning("admin message %r has no %s text", message, locale)
        return text.format(**variables) if variables else text

    return _


def field_labels_for(locale: str) -> Callable[[str], str]:
    """`field_label("owner")`: the form label of a record field (audit log), else the name."""
    translations = catalog(locale, ADMIN_DOMAIN)

    def field_label(name: str) -> str:
        message = f"field.{name}"
        text = translations.gettext(message) if translations is not None else message
        return name if text == message else text

    return field_label


class Formatter:
    """Dates, times and language names in the interface language and the municipality's zone."""

    def __init__(self, locale: str, timezone: str) -> None:
        self.locale = FORMAT_LOCALES.get(locale, locale)
        self.zone = ZoneInfo(timezone)

    def date(self, value: dt.date | None) -> str:
        """A medium date, '' for none."""
        return format_date(value, "medium", locale=self.locale) if value else ""

    def datetime(self, value: dt.datetime | None) -> str:
        """A short date and time in local time, '' for none."""
        if value is None:
            return ""
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return format_datetime(aware.astimezone(self.zone), "short", locale=self.locale)

    def language(self, code: str) -> str:
        """`Native name (code)` of one of the assistant's languages, else the code."""
        language = BY_CODE.get(code)
        return f"{language.native_name} ({code})" if language else code


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render a staff page with `_`, the CSRF token, the user and the interface language."""
    from bot.admin.locking import conflict_rows
    from bot.admin.navigation import is_current, menu_for
    from bot.web.auth import csrf_token, current_user_cached

    locale = interface_locale(request)
    user = current_user_cached(request)
    timezone = getattr(getattr(request.app.state, "settings", None), "timezone", "Europe/Rome")
    values: dict[str, Any] = {
        "_": gettext_for(locale),
        "fmt": Formatter(locale, timezone),
        "lang": locale,
        "interface_locales": ADMIN_LOCALES,
        "request": request,
        "path": request.url.path,
        "csrf_token": csrf_token(request),
        "user": user,
        "menu": menu_for(user),
        "is_current": is_current,
        "conflict_rows": conflict_rows,
        "field_label": field_labels_for(locale),
    }
    values.update(context or {})
    html = environment().get_template(template).render(values)
    return HTMLResponse(html, status_code=status_code)
