"""Service pages: list, create, edit (with optimistic locking), archive/restore, delete, verify."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.admin import audit
from bot.admin.context import actor, sessions, staff, today
from bot.admin.locking import EditConflictError, parse_version
from bot.admin.pages import render
from bot.admin.permissions import (
    READ_ROLES,
    can_create_services,
    can_edit_organization_content,
    can_translate,
    is_admin,
)
from bot.admin.service_editing import (
    BLANK_ROWS,
    LANGUAGE_CODES,
    PHONE_TYPES,
    create_service,
    delete_service,
    form_values,
    input_snapshot,
    input_values,
    mark_verified,
    read_service_form,
    readable,
    set_status,
    update_service,
)
from bot.catalogue.db import unit_of_work
from bot.catalogue.models import Location, Organization, Service, TaxonomyTerm
from bot.catalogue.repository import CatalogueRepository
from bot.web.auth import forbidden, requires_roles


def _choices(session: Session) -> dict[str, Any]:
    return {
        "organizations": list(
            session.scalars(
                select(Organization)
                .where(Organization.status == "active")
                .order_by(Organization.name)
            )
        ),
        "terms": list(session.scalars(select(TaxonomyTerm).order_by(TaxonomyTerm.code))),
        "locations": list(session.scalars(select(Location).order_by(Location.name))),
        "language_codes": LANGUAGE_CODES,
        "phone_types": PHONE_TYPES,
        "blank_rows": BLANK_ROWS,
    }


def load_service(session: Session, service_id: str) -> Service | None:
    """Any service (archived too) with everything the edit page shows."""
    found = CatalogueRepository(session).services([service_id], active_only=False)
    return found[0] if found else None


@requires_roles(*READ_ROLES)
async def service_list(request: Request) -> Response:
    """GET /admin/services: every service, filterable by text, organisation and status."""
    query = request.query_params.get("q", "").strip()
    organization = request.query_params.get("organization", "")
    status = request.query_params.get("status", "")
    category = request.query_params.get("category", "")
    user = staff(request)
    with sessions(request)() as session:
        services = CatalogueRepository(session).services(active_only=False)
        if query:
            needle = query.casefold()
            services = [s for s in services if needle in f"{s.name} {s.id}".casefold()]
        if organization:
            services = [s for s in services if s.organization_id == organization]
        if status:
            services = [s for s in services if s.status == status]
        if category:
            services = [s for s in services if category in {c.term.code for c in s.categories}]
        context = {
            "services": services,
            "q": query,
            "organization": organization,
            "status": status,
            "category": category,
            "can_create": can_create_services(user),
            "editable_ids": {
                s.id for s in services if can_edit_organization_content(user, s.organization_id)
            },
            **_choices(session),
        }
        return render(request, "admin/services/list.html", context)


def _form_page(
    request: Request,
    session: Session,
    service: Service | None,
    form: dict[str, Any],
    errors: dict[str, str] | None = None,
    conflict: dict[str, Any] | None = None,
    status_code: int = 200,
    conflict_mine: dict[str, Any] | None = None,
) -> Response:
    user = staff(request)
    editable = (
        can_edit_organization_content(user, service.organization_id)
        if service is not None
        else can_create_services(user)
    )
    choices = _choices(session)
    if user.role == "editor":
        choices["organizations"] = [
            o for o in choices["organizations"] if o.id in user.organization_ids
        ]
    if service is not None and service.organization_id not in {
        o.id for o in choices["organizations"]
    }:
        choices["organizations"].insert(0, service.organization)
    context = {
        "service": service,
        "form": form,
        "errors": errors or {},
        "conflict": readable(conflict, session) if conflict is not None else None,
        "conflict_mine": readable(conflict_mine, session) if conflict_mine is not None else None,
        "editable": editable,
        "can_delete": is_admin(user) and service is not None,
        "can_translate": service is not None and can_translate(user, service.organization_id),
        "saved": request.query_params.get("saved") == "1",
        "history": audit.recent(session, "service", service.id, 20) if service else [],
        **choices,
    }
    return render(request, "admin/services/edit.html", context, status_code)


@requires_roles(*READ_ROLES)
async def service_new(request: Request) -> Response:
    """GET/POST /admin/services/new: create a service (admins, editors for their organisations)."""
    user = staff(request)
    if not can_create_services(user):
        return forbidden(request)
    with sessions(request)() as session:
        if request.method == "GET":
            blank: dict[str, Any] = {
                "review_interval_days": 180,
                "categories": [],
                "location_ids": [],
                "languages": ["it"],
                "phones": [],
                "documents": [],
                "costs": [],
            }
            return _form_page(request, session, None, blank)
        data, errors = read_service_form(await request.form(), session)
        if "organization_id" not in errors and not can_edit_organization_content(
            user, data.values["organization_id"]
        ):
            errors["organization_id"] = "unknown_choice"
        if errors:
            return _form_page(request, session, None, input_values(data), errors, status_code=400)
        service = create_service(session, data, actor(request))
        session.commit()
        return RedirectResponse(f"/admin/services/{service.id}?saved=1", status_code=303)


@requires_roles(*READ_ROLES)
async def service_edit(request: Request) -> Response:
    """GET/POST /admin/services/{id}: the edit form; a stale form gets a conflict, not a save."""
    user = staff(request)
    with sessions(request)() as session:
        service = load_service(session, request.path_params["service_id"])
        if service is None:
            return render(request, "admin/not_found.html", status_code=404)
        if request.method == "GET":
            return _form_page(request, session, service, form_values(service))
        if not can_edit_organization_content(user, service.organization_id):
            return forbidden(request)
        data, errors = read_service_form(await request.form(), session)
        if "organization_id" not in errors and not can_edit_organization_content(
            user, data.values["organization_id"]
        ):
            errors["organization_id"] = "unknown_choice"
        if errors:
            return _form_page(
                request, session, service, input_values(data), errors, status_code=400
            )
        try:
            update_service(session, service, data, actor(request))
            session.commit()
        except EditConflictError as conflict:
            session.rollback()
            session.expire_all()
            fresh = load_service(session, service.id)
            if fresh is None:
                return render(request, "admin/not_found.html", status_code=404)
            mine = {**input_values(data), "version": fresh.version}
            return _form_page(
                request,
                session,
                fresh,
                mine,
                conflict=conflict.current,
                status_code=409,
                conflict_mine=input_snapshot(data),
            )
        return RedirectResponse(f"/admin/services/{service.id}?saved=1", status_code=303)


@requires_roles(*READ_ROLES)
async def service_status(request: Request) -> Response:
    """POST /admin/services/{id}/status: archive or restore."""
    form = await request.form()
    status = "inactive" if form.get("action") == "archive" else "active"
    with sessions(request)() as session:
        service = load_service(session, request.path_params["service_id"])
        if service is None:
            return render(request, "admin/not_found.html", status_code=404)
        if not can_edit_organization_content(staff(request), service.organization_id):
            return forbidden(request)
        try:
            set_status(session, service, status, parse_version(form.get("version")), actor(request))
            session.commit()
        except EditConflictError as conflict:
            session.rollback()
            session.expire_all()
            fresh = load_service(session, service.id)
            if fresh is None:
                return render(request, "admin/not_found.html", status_code=404)
            return _form_page(
                request,
                session,
                fresh,
                form_values(fresh),
                conflict=conflict.current,
                status_code=409,
            )
    return RedirectResponse(f"/admin/services/{service.id}?saved=1", status_code=303)


@requires_roles(*READ_ROLES)
async def service_delete(request: Request) -> Response:
    """POST /admin/services/{id}/delete: admins only, after confirming."""
    if not is_admin(staff(request)):
        return forbidden(request)
    form = await request.form()
    with unit_of_work(sessions(request)) as session:
        service = load_service(session, request.path_params["service_id"])
        if service is None:
            return render(request, "admin/not_found.html", status_code=404)
        if form.get("confirm") != service.id:
            return render(request, "admin/services/confirm_delete.html", {"service": service}, 200)
        delete_service(session, service, actor(request))
    return RedirectResponse("/admin/services?deleted=1", status_code=303)


@requires_roles(*READ_ROLES)
async def service_verify(request: Request) -> Response:
    """POST /admin/services/{id}/verify: "verified today" (one click from the freshness page)."""
    form = await request.form()
    back = str(form.get("back", ""))
    with unit_of_work(sessions(request)) as session:
        service = load_service(session, request.path_params["service_id"])
        if service is None:
            return render(request, "admin/not_found.html", status_code=404)
        if not can_edit_organization_content(staff(request), service.organization_id):
            return forbidden(request)
        try:
            mark_verified(session, service, actor(request), today(request))
        except EditConflictError:  # saved by someone else this instant: verify the fresh copy
            session.expire_all()
            fresh = load_service(session, service.id)
            if fresh is None:
                return render(request, "admin/not_found.html", status_code=404)
            mark_verified(session, fresh, actor(request), today(request))
    if back.startswith("/admin/") and not back.startswith("//"):
        return RedirectResponse(back, status_code=303)
    return RedirectResponse(f"/admin/services/{service.id}?saved=1", status_code=303)


def routes() -> list[Route]:
    """Routes of the service pages."""
    return [
        Route("/admin/services", service_list, methods=["GET"]),
        Route("/admin/services/new", service_new, methods=["GET", "POST"]),
        Route("/admin/services/{service_id}", service_edit, methods=["GET", "POST"]),
        Route("/admin/services/{service_id}/status", service_status, methods=["POST"]),
        Route("/admin/services/{service_id}/delete", service_delete, methods=["POST"]),
        Route("/admin/services/{service_id}/verify", service_verify, methods=["POST"]),
    ]
