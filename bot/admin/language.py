"""Switching the admin interface language (Italian or English), kept in the session."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.admin.pages import ADMIN_LOCALES, LANGUAGE_SESSION_KEY
from bot.web.auth import CsrfError, forbidden, verify_csrf


def _local_path(target: str) -> str:
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/admin"


async def choose_language(request: Request) -> Response:
    """POST /admin/language: remember the chosen interface language, back to the same page."""
    try:
        await verify_csrf(request)
    except CsrfError:
        return forbidden(request, "csrf")
    form = await request.form()
    code = str(form.get("lang", ""))
    if code in ADMIN_LOCALES:
        request.session[LANGUAGE_SESSION_KEY] = code
    return RedirectResponse(_local_path(str(form.get("next", ""))), status_code=303)


def routes() -> list[Route]:
    """The language switch."""
    return [Route("/admin/language", choose_language, methods=["POST"])]
