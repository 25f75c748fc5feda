"""Staff accounts (admins only): create users, change role, organisations, password, access."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.accounts.models import ROLES, StaffUser
from bot.accounts.passwords import MIN_PASSWORD_LENGTH
from bot.accounts.service import AccountError, save_user
from bot.admin import audit
from bot.admin.context import actor, sessions, staff
from bot.admin.forms import Errors, FormReader
from bot.admin.pages import render
from bot.catalogue.models import Organization
from bot.web.auth import requires_roles

ACCOUNT_ERRORS = {
    "username": "invalid_username",
    "password": "password_too_short",
    "role": "unknown_choice",
    "organization": "unknown_choice",
}


def _state(user: StaffUser) -> dict[str, Any]:
    return {
        "display_name": user.display_name,
        "role": user.role,
        "organizations": sorted(user.organization_ids),
        "active": user.active,
    }


def _read(form: Any, creating: bool, session: Session) -> tuple[dict[str, Any], Errors]:
    reader = FormReader(form)
    organizations = set(session.scalars(select(Organization.id)))
    values: dict[str, Any] = {
        "username": reader.text("username", required=creating, max_length=80),
        "display_name": reader.text("display_name", max_length=255) or "",
        "role": reader.choice("role", list(ROLES)),
        "organizations": reader.choices("organizations", organizations),
        "active": reader.flag("active") if not creating else True,
    }
    password = reader.raw("password")
    if password or creating:
        if len(password) < MIN_PASSWORD_LENGTH:
            reader.errors["password"] = "password_too_short"
        elif password != reader.raw("password_repeat"):
            reader.errors["password_repeat"] = "passwords_differ"
    values["password"] = password or None
    return values, reader.errors


def _page(
    request: Request,
    session: Session,
    account: StaffUser | None,
    form: dict[str, Any],
    errors: Errors | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "account": account,
        "form": form,
        "errors": errors or {},
        "roles": ROLES,
        "organizations": list(session.scalars(select(Organization).order_by(Organization.name))),
        "min_password": MIN_PASSWORD_LENGTH,
        "saved": request.query_params.get("saved") == "1",
        "history": audit.recent(session, "staff_user", account.username, 20) if account else [],
    }
    return render(request, "admin/users/edit.html", context, status_code)


@requires_roles()
async def user_list(request: Request) -> Response:
    """GET /admin/users."""
    with sessions(request)() as session:
        users = list(session.scalars(select(StaffUser).order_by(StaffUser.username)))
        return render(request, "admin/users/list.html", {"accounts": users})


def _save(
    request: Request, session: Session, account: StaffUser | None, values: dict[str, Any]
) -> StaffUser:
    before = _state(account) if account is not None else {}
    saved = save_user(
        session,
        values["username"] if account is None else account.username,
        values["role"],
        values["password"],
        values["organizations"],
        display_name=values["display_name"],
        active=values["active"],
    )
    changes = audit.diff(before, _state(saved))
    if values["password"]:
        changes["password"] = {"before": None, "after": "changed"}
    audit.record(
        session,
        actor(request),
        "create" if account is None else "update",
        "staff_user",
        saved.username,
        changes,
    )
    return saved


@requires_roles()
async def user_new(request: Request) -> Response:
    """GET/POST /admin/users/new."""
    with sessions(request)() as session:
        if request.method == "GET":
            return _page(request, session, None, {"role": "editor", "organizations": []})
        values, errors = _read(await request.form(), True, session)
        if not errors and session.scalar(
            select(StaffUser.id).where(StaffUser.username == str(values["username"]).lower())
        ):
            errors["username"] = "duplicate"
        if not errors:
            try:
                account = _save(request, session, None, values)
                session.commit()
                return RedirectResponse(f"/admin/users/{account.id}?saved=1", 303)
            except AccountError as error:
                session.rollback()
                errors[error.field] = ACCOUNT_ERRORS.get(error.field, "unknown_choice")
        return _page(request, session, None, values, errors, 400)


@requires_roles()
async def user_edit(request: Request) -> Response:
    """GET/POST /admin/users/{id}: an admin cannot lock themselves out (role, access)."""
    with sessions(request)() as session:
        account = session.get(StaffUser, int(request.path_params["user_id"]))
        if account is None:
            return render(request, "admin/not_found.html", status_code=404)
        if request.method == "GET":
            return _page(request, session, account, _state(account))
        values, errors = _read(await request.form(), False, session)
        if account.id == staff(request).id and (values["role"] != "admin" or not values["active"]):
            errors["role"] = "own_account"
        if not errors:
            try:
                _save(request, session, account, values)
                session.commit()
                return RedirectResponse(f"/admin/users/{account.id}?saved=1", 303)
            except AccountError as error:
                session.rollback()
                errors[error.field] = ACCOUNT_ERRORS.get(error.field, "unknown_choice")
        return _page(request, session, account, values, errors, 400)


def routes() -> list[Route]:
    """Routes of the user pages."""
    return [
        Route("/admin/users", user_list, methods=["GET"]),
        Route("/admin/users/new", user_new, methods=["GET", "POST"]),
        Route("/admin/users/{user_id:int}", user_edit, methods=["GET", "POST"]),
    ]
