"""Location pages: list, create, edit, archive/restore (admins; editors for their organisations)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.accounts.models import StaffUser
from bot.admin import audit
from bot.admin.context import actor, sessions, staff
from bot.admin.location_editing import (
    LocationInUseError,
    create_location,
    read_location_form,
    services_at,
    set_location_status,
    snapshot,
    update_location,
)
from bot.admin.locking import EditConflictError, parse_version
from bot.admin.pages import render
from bot.admin.permissions import (
    READ_ROLES,
    can_create_services,
    can_edit_organization_content,
    is_admin,
)
from bot.catalogue.models import Location, Organization
from bot.web.auth import forbidden, requires_roles


def _allowed_organizations(user: StaffUser) -> set[str] | None:
    return None if is_admin(user) else set(user.organization_ids)


@requires_roles(*READ_ROLES)
async def location_list(request: Request) -> Response:
    """GET /admin/locations."""
    with sessions(request)() as session:
        locations = list(session.scalars(select(Location).order_by(Location.name)))
        organizations = {o.id: o.name for o in session.scalars(select(Organization))}
        context = {
            "locations": locations,
            "organization_names": organizations,
            "can_create": can_create_services(staff(request)),
        }
        return render(request, "admin/locations/list.html", context)


def _page(
    request: Request,
    session: Session,
    location: Location | None,
    form: dict[str, Any],
    errors: dict[str, str] | None = None,
    conflict: dict[str, Any] | None = None,
    in_use: list[Any] | None = None,
    status_code: int = 200,
) -> Response:
    user = staff(request)
    organizations = list(session.scalars(select(Organization).order_by(Organization.name)))
    allowed = _allowed_organizations(user)
    if allowed is not None:
        organizations = [o for o in organizations if o.id in allowed]
    editable = (
        can_create_services(user)
        if location is None
        else can_edit_organization_content(user, location.organization_id)
    )
    context = {
        "location": location,
        "form": form,
        "errors": errors or {},
        "conflict": conflict,
        "in_use": in_use,
        "editable": editable,
        "organizations": organizations,
        "organization_optional": allowed is None,
        "services": services_at(session, location, active_only=False) if location else [],
        "saved": request.query_params.get("saved") == "1",
        "history": audit.recent(session, "location", location.id, 20) if location else [],
    }
    return render(request, "admin/locations/edit.html", context, status_code)


@requires_roles(*READ_ROLES)
async def location_new(request: Request) -> Response:
    """GET/POST /admin/locations/new."""
    user = staff(request)
    if not can_create_services(user):
        return forbidden(request)
    with sessions(request)() as session:
        if request.method == "GET":
            return _page(request, session, None, {"city": "Cremona", "country": "IT"})
        values, errors = read_location_form(
            await request.form(), session, _allowed_organizations(user)
        )
        if errors:
            return _page(request, session, None, values, errors, status_code=400)
        location = create_location(session, values, actor(request))
        session.commit()
        return RedirectResponse(f"/admin/locations/{location.id}?saved=1", 303)


@requires_roles(*READ_ROLES)
async def location_edit(request: Request) -> Response:
    """GET/POST /admin/locations/{id}."""
    user = staff(request)
    with sessions(request)() as session:
        location = session.get(Location, request.path_params["location_id"])
        if location is None:
            return render(request, "admin/not_found.html", status_code=404)
        if request.method == "GET":
            return _page(
                request, session, location, {**snapshot(location), "version": location.version}
            )
        if not can_edit_organization_content(user, location.organization_id):
            return forbidden(request)
        posted = await request.form()
        values, errors = read_location_form(posted, session, _allowed_organizations(user))
        version = parse_version(posted.get("version"))
        if errors:
            return _page(
                request, session, location, {**values, "version": version}, errors, status_code=400
            )
        try:
            update_location(session, location, values, version, actor(request))
            session.commit()
        except EditConflictError as conflict:
            session.rollback()
            session.expire_all()
            fresh = session.get(Location, location.id)
            if fresh is None:
                return render(request, "admin/not_found.html", status_code=404)
            form = {**values, "version": fresh.version}
            return _page(request, session, fresh, form, None, conflict.current, None, 409)
        return RedirectResponse(f"/admin/locations/{location.id}?saved=1", 303)


@requires_roles(*READ_ROLES)
async def location_status(request: Request) -> Response:
    """POST /admin/locations/{id}/status: archive (when unused) or restore."""
    form = await request.form()
    status = "inactive" if form.get("action") == "archive" else "active"
    with sessions(request)() as session:
        location = session.get(Location, request.path_params["location_id"])
        if location is None:
            return render(request, "admin/not_found.html", status_code=404)
        if not can_edit_organization_content(staff(request), location.organization_id):
            return forbidden(request)
        current = {**snapshot(location), "version": location.version}
        try:
            set_location_status(
                session, location, status, parse_version(form.get("version")), actor(request)
            )
            session.commit()
        except LocationInUseError as error:
            session.rollback()
            return _page(request, session, location, current, None, None, error.services, 409)
        except EditConflictError as conflict:
            session.rollback()
            session.expire_all()
            fresh = session.get(Location, location.id)
            if fresh is None:
                return render(request, "admin/not_found.html", status_code=404)
            form_values = {**snapshot(fresh), "version": fresh.version}
            return _page(request, session, fresh, form_values, None, conflict.current, None, 409)
    return RedirectResponse(f"/admin/locations/{location.id}?saved=1", 303)


def routes() -> list[Route]:
    """Routes of the location pages."""
    return [
        Route("/admin/locations", location_list, methods=["GET"]),
        Route("/admin/locations/new", location_new, methods=["GET", "POST"]),
        Route("/admin/locations/{location_id}", location_edit, methods=["GET", "POST"]),
        Route("/admin/locations/{location_id}/status", location_status, methods=["POST"]),
    ]
