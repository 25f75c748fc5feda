"""Category pages: the taxonomy with its services; admins create, rename, archive, restore."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.admin import audit
from bot.admin.category_editing import (
    create_category,
    read_category_form,
    service_counts,
    set_category_status,
    snapshot,
    update_category,
)
from bot.admin.context import actor, sessions, staff
from bot.admin.locking import EditConflictError, parse_version
from bot.admin.pages import render
from bot.admin.permissions import READ_ROLES, is_admin
from bot.catalogue.models import TaxonomyTerm
from bot.web.auth import forbidden, requires_roles


@requires_roles(*READ_ROLES)
async def category_list(request: Request) -> Response:
    """GET /admin/categories."""
    with sessions(request)() as session:
        terms = list(session.scalars(select(TaxonomyTerm).order_by(TaxonomyTerm.code)))
        context = {
            "terms": terms,
            "counts": service_counts(session),
            "can_create": is_admin(staff(request)),
        }
        return render(request, "admin/categories/list.html", context)


def _page(
    request: Request,
    session: Session,
    term: TaxonomyTerm | None,
    form: dict[str, Any],
    errors: dict[str, str] | None = None,
    conflict: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "term": term,
        "form": form,
        "errors": errors or {},
        "conflict": conflict,
        "editable": is_admin(staff(request)),
        "service_count": service_counts(session).get(term.id, 0) if term else 0,
        "saved": request.query_params.get("saved") == "1",
        "history": audit.recent(session, "taxonomy_term", term.id, 20) if term else [],
    }
    return render(request, "admin/categories/edit.html", context, status_code)


@requires_roles(*READ_ROLES)
async def category_new(request: Request) -> Response:
    """GET/POST /admin/categories/new (admins)."""
    if not is_admin(staff(request)):
        return forbidden(request)
    with sessions(request)() as session:
        if request.method == "GET":
            return _page(request, session, None, {})
        values, errors = read_category_form(await request.form(), session, creating=True)
        if errors:
            return _page(request, session, None, values, errors, status_code=400)
        term = create_category(session, values, actor(request))
        session.commit()
        return RedirectResponse(f"/admin/categories/{term.id}?saved=1", 303)


@requires_roles(*READ_ROLES)
async def category_edit(request: Request) -> Response:
    """GET/POST /admin/categories/{id}."""
    with sessions(request)() as session:
        term = session.get(TaxonomyTerm, request.path_params["term_id"])
        if term is None:
            return render(request, "admin/not_found.html", status_code=404)
        if request.method == "GET":
            return _page(request, session, term, {**snapshot(term), "version": term.version})
        if not is_admin(staff(request)):
            return forbidden(request)
        posted = await request.form()
        values, errors = read_category_form(posted, session, creating=False)
        version = parse_version(posted.get("version"))
        if errors:
            form = {**snapshot(term), **values, "version": version}
            return _page(request, session, term, form, errors, status_code=400)
        try:
            update_category(session, term, values, version, actor(request))
            session.commit()
        except EditConflictError as conflict:
            session.rollback()
            session.expire_all()
            fresh = session.get(TaxonomyTerm, term.id)
            if fresh is None:
                return render(request, "admin/not_found.html", status_code=404)
            form = {**snapshot(fresh), **values, "version": fresh.version}
            return _page(request, session, fresh, form, None, conflict.current, 409)
        return RedirectResponse(f"/admin/categories/{term.id}?saved=1", 303)


@requires_roles(*READ_ROLES)
async def category_status(request: Request) -> Response:
    """POST /admin/categories/{id}/status: archive or restore (admins)."""
    if not is_admin(staff(request)):
        return forbidden(request)
    form = await request.form()
    status = "inactive" if form.get("action") == "archive" else "active"
    with sessions(request)() as session:
        term = session.get(TaxonomyTerm, request.path_params["term_id"])
        if term is None:
            return render(request, "admin/not_found.html", status_code=404)
        try:
            set_category_status(
                session, term, status, parse_version(form.get("version")), actor(request)
            )
            session.commit()
        except EditConflictError as conflict:
            session.rollback()
            session.expire_all()
            fresh = session.get(TaxonomyTerm, term.id)
            if fresh is None:
                return render(request, "admin/not_found.html", status_code=404)
            form_values = {**snapshot(fresh), "version": fresh.version}
            return _page(request, session, fresh, form_values, None, conflict.current, 409)
    return RedirectResponse(f"/admin/categories/{term.id}?saved=1", 303)


def routes() -> list[Route]:
    """Routes of the category pages."""
    return [
        Route("/admin/categories", category_list, methods=["GET"]),
        Route("/admin/categories/new", category_new, methods=["GET", "POST"]),
        Route("/admin/categories/{term_id}", category_edit, methods=["GET", "POST"]),
        Route("/admin/categories/{term_id}/status", category_status, methods=["POST"]),
    ]
