"""The audit log page: who changed what, when, with the values before and after."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.admin import audit
from bot.admin.context import sessions
from bot.admin.pages import render
from bot.admin.permissions import READ_ROLES
from bot.web.auth import requires_roles

PAGE_SIZE = 50
ENTITIES = (
    "service",
    "organization",
    "location",
    "taxonomy_term",
    "required_document",
    "cost_option",
    "staff_user",
    "catalogue",
)
LINKS = {
    "service": "/admin/services/{}",
    "organization": "/admin/organizations/{}",
    "location": "/admin/locations/{}",
    "taxonomy_term": "/admin/categories/{}",
}


@requires_roles(*READ_ROLES)
async def audit_page(request: Request) -> Response:
    """GET /admin/audit?entity=&record_id=&actor=&page=: newest changes first."""
    params = request.query_params
    entity = params.get("entity", "")
    record_id = params.get("record_id", "").strip()
    who = params.get("actor", "").strip()
    page_text = params.get("page", "1")
    page = int(page_text) if page_text.isdigit() and int(page_text) > 0 else 1
    with sessions(request)() as session:
        entries = audit.recent(
            session,
            entity if entity in ENTITIES else None,
            record_id or None,
            PAGE_SIZE + 1,
            who or None,
            (page - 1) * PAGE_SIZE,
        )
    context = {
        "entries": entries[:PAGE_SIZE],
        "has_next": len(entries) > PAGE_SIZE,
        "page": page,
        "entity": entity,
        "record_id": record_id,
        "actor_filter": who,
        "entities": ENTITIES,
        "links": LINKS,
    }
    return render(request, "admin/audit.html", context)


def routes() -> list[Route]:
    """Routes of the audit log."""
    return [Route("/admin/audit", audit_page, methods=["GET"])]
