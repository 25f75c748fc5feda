"""The opening-hours page of a service: weekly slots, dated exceptions, temporary closures."""

from __future__ import annotations

from typing import Any

from babel.dates import get_day_names
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.admin import audit
from bot.admin.context import actor, sessions, staff
from bot.admin.hours_editing import GROUPS, grouped, read_hours_form, save_hours
from bot.admin.locking import EditConflictError
from bot.admin.pages import interface_locale, render
from bot.admin.permissions import READ_ROLES, can_edit_organization_content
from bot.admin.services import load_service
from bot.catalogue.models import Service
from bot.web.auth import forbidden, requires_roles

BLANK_ROWS = {"weekly": 3, "exception": 2, "closure": 1}


def _schedule_rows(service: Service) -> dict[str, list[dict[str, Any]]]:
    return {
        group: [
            {
                "id": s.id,
                "weekday": s.weekday,
                "opens_at": s.opens_at.strftime("%H:%M") if s.opens_at else "",
                "closes_at": s.closes_at.strftime("%H:%M") if s.closes_at else "",
                "valid_from": s.valid_from.isoformat() if s.valid_from else "",
                "valid_to": s.valid_to.isoformat() if s.valid_to else "",
                "appointment_only": s.appointment_only,
                "description": s.description or "",
            }
            for s in schedules
        ]
        for group, schedules in grouped(service).items()
    }


def _posted_rows(form: Any) -> dict[str, list[dict[str, Any]]]:
    """The rows exactly as typed (so a rejected form comes back with the user's input)."""
    rows: dict[str, list[dict[str, Any]]] = {group: [] for group in GROUPS}
    for key in form:
        parts = str(key).split("-")
        if len(parts) == 3 and parts[0] in GROUPS and parts[1].isdigit():
            group, index, name = parts[0], int(parts[1]), parts[2]
            while len(rows[group]) <= index:
                rows[group].append({})
            rows[group][index][name] = form.get(key)
    for group_rows in rows.values():
        for row in group_rows:
            weekday = row.get("weekday")
            row["weekday"] = (
                int(weekday) if isinstance(weekday, str) and weekday.isdigit() else None
            )
            row["appointment_only"] = row.get("appointment_only") == "on"
    return rows


def _page(
    request: Request,
    session: Session,
    service: Service,
    rows: dict[str, list[dict[str, Any]]],
    version: int,
    errors: dict[str, str] | None = None,
    conflict: dict[str, list[dict[str, Any]]] | None = None,
    status_code: int = 200,
) -> Response:
    editable = can_edit_organization_content(staff(request), service.organization_id)
    day_names = get_day_names("wide", locale=interface_locale(request))
    context = {
        "service": service,
        "rows": rows,
        "version": version,
        "errors": errors or {},
        "conflict": conflict,
        "editable": editable,
        "blank_rows": BLANK_ROWS if editable else dict.fromkeys(BLANK_ROWS, 0),
        "weekdays": [(day, day_names[day]) for day in range(7)],
        "saved": request.query_params.get("saved") == "1",
        "history": [
            e
            for e in audit.recent(session, "service", service.id, 40)
            if e.action == "update_hours"
        ][:10],
    }
    return render(request, "admin/services/hours.html", context, status_code)


@requires_roles(*READ_ROLES)
async def hours_page(request: Request) -> Response:
    """GET/POST /admin/services/{id}/hours: see and edit the opening rules."""
    with sessions(request)() as session:
        service = load_service(session, request.path_params["service_id"])
        if service is None:
            return render(request, "admin/not_found.html", status_code=404)
        if request.method == "GET":
            return _page(request, session, service, _schedule_rows(service), service.version)
        if not can_edit_organization_content(staff(request), service.organization_id):
            return forbidden(request)
        form = await request.form()
        data, errors = read_hours_form(form)
        if errors:
            return _page(
                request, session, service, _posted_rows(form), data.version or 0, errors, None, 400
            )
        try:
            save_hours(session, service, data, actor(request))
            session.commit()
        except EditConflictError:
            session.rollback()
            session.expire_all()
            fresh = load_service(session, service.id)
            if fresh is None:
                return render(request, "admin/not_found.html", status_code=404)
            return _page(
                request,
                session,
                fresh,
                _posted_rows(form),
                fresh.version,
                conflict=_schedule_rows(fresh),
                status_code=409,
            )
    return RedirectResponse(f"/admin/services/{service.id}/hours?saved=1", status_code=303)


def routes() -> list[Route]:
    """Routes of the hours page."""
    return [Route("/admin/services/{service_id}/hours", hours_page, methods=["GET", "POST"])]
