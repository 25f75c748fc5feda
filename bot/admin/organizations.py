"""Organisation pages: list, create and archive (admins), edit (admins, their own editors)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.admin import audit
from bot.admin.context import actor, sessions, staff
from bot.admin.locking import EditConflictError, parse_version
from bot.admin.organization_editing import (
    create_organization,
    read_organization_form,
    set_organization_status,
    snapshot,
    update_organization,
)
from bot.admin.pages import render
from bot.admin.permissions import READ_ROLES, can_edit_organization_content, is_admin
from bot.catalogue.models import Organization, Service
from bot.web.auth import forbidden, requires_roles


@requires_roles(*READ_ROLES)
async def organization_list(request: Request) -> Response:
    """GET /admin/organizations: every organisation with its number of active services."""
    with sessions(request)() as session:
        counts = dict(
            session.execute(
                select(Service.organization_id, func.count())
                .where(Service.status == "active")
                .group_by(Service.organization_id)
            ).all()
        )
        organizations = list(session.scalars(select(Organization).order_by(Organization.name)))
        context = {
            "organizations": organizations,
            "counts": counts,
            "can_create": is_admin(staff(request)),
        }
        return render(request, "admin/organizations/list.html", context)


def _page(
    request: Request,
    session: Session,
    organization: Organization | None,
    form: dict[str, Any],
    errors: dict[str, str] | None = None,
    conflict: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    user = staff(request)
    services: list[Service] = []
    if organization is not None:
        services = list(
            session.scalars(
                select(Service)
                .where(Service.organization_id == organization.id)
                .order_by(Service.name)
            )
        )
    context = {
        "organization": organization,
        "form": form,
        "errors": errors or {},
        "conflict": conflict,
        "editable": is_admin(user)
        if organization is None
        else can_edit_organization_content(user, organization.id),
        "can_archive": is_admin(user) and organization is not None,
        "services": services,
        "saved": request.query_params.get("saved") == "1",
        "archived_count": request.query_params.get("archived", ""),
        "history": audit.recent(session, "organization", organization.id, 20)
        if organization
        else [],
    }
    return render(request, "admin/organizations/edit.html", context, status_code)


@requires_roles(*READ_ROLES)
async def organization_new(request: Request) -> Response:
    """GET/POST /admin/organizations/new (admins)."""
    if not is_admin(staff(request)):
        return forbidden(request)
    with sessions(request)() as session:
        if request.method == "GET":
            return _page(request, session, None, {})
        values, errors = read_organization_form(await request.form())
        if errors:
            return _page(request, session, None, values, errors, status_code=400)
        organization = create_organization(session, values, actor(request))
        session.commit()
        return RedirectResponse(f"/admin/organizations/{organization.id}?saved=1", 303)


@requires_roles(*READ_ROLES)
async def organization_edit(request: Request) -> Response:
    """GET/POST /admin/organizations/{id}."""
    with sessions(request)() as session:
        organization = session.get(Organization, request.path_params["organization_id"])
        if organization is None:
            return render(request, "admin/not_found.html", status_code=404)
        if request.method == "GET":
            form = {**snapshot(organization), "version": organization.version}
            return _page(request, session, organization, form)
        if not can_edit_organization_content(staff(request), organization.id):
            return forbidden(request)
        posted = await request.form()
        values, errors = read_organization_form(posted)
        version = parse_version(posted.get("version"))
        if errors:
            form = {**values, "version": version}
            return _page(request, session, organization, form, errors, status_code=400)
        try:
            update_organization(session, organization, values, version, actor(request))
            session.commit()
        except EditConflictError as conflict:
            session.rollback()
            session.expire_all()
            fresh = session.get(Organization, organization.id)
            if fresh is None:
                return render(request, "admin/not_found.html", status_code=404)
            form = {**values, "version": fresh.version}
            return _page(request, session, fresh, form, None, conflict.current, 409)
        return RedirectResponse(f"/admin/organizations/{organization.id}?saved=1", 303)


@requires_roles(*READ_ROLES)
async def organization_status(request: Request) -> Response:
    """POST /admin/organizations/{id}/status: archive (with its services) or restore (admins)."""
    if not is_admin(staff(request)):
        return forbidden(request)
    form = await request.form()
    status = "inactive" if form.get("action") == "archive" else "active"
    with sessions(request)() as session:
        organization = session.get(Organization, request.path_params["organization_id"])
        if organization is None:
            return render(request, "admin/not_found.html", status_code=404)
        try:
            archived = set_organization_status(
                session, organization, status, parse_version(form.get("version")), actor(request)
            )
            session.commit()
        except EditConflictError as conflict:
            session.rollback()
            session.expire_all()
            fresh = session.get(Organization, organization.id)
            if fresh is None:
                return render(request, "admin/not_found.html", status_code=404)
            form_values = {**snapshot(fresh), "version": fresh.version}
            return _page(request, session, fresh, form_values, None, conflict.current, 409)
    suffix = f"&archived={len(archived)}" if status == "inactive" else ""
    return RedirectResponse(f"/admin/organizations/{organization.id}?saved=1{suffix}", 303)


def routes() -> list[Route]:
    """Routes of the organisation pages."""
    return [
        Route("/admin/organizations", organization_list, methods=["GET"]),
        Route("/admin/organizations/new", organization_new, methods=["GET", "POST"]),
        Route("/admin/organizations/{organization_id}", organization_edit, methods=["GET", "POST"]),
        Route(
            "/admin/organizations/{organization_id}/status", organization_status, methods=["POST"]
        ),
    ]
