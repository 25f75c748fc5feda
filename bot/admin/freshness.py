"""The freshness dashboard: entries past (or near) their review date, with their owner."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.admin.context import sessions, staff, today
from bot.admin.pages import render
from bot.admin.permissions import READ_ROLES, can_edit_organization_content
from bot.catalogue.models import Service
from bot.web.auth import requires_roles

DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class ReviewItem:
    """A service with the date its information should be checked again."""

    service: Service
    due_on: dt.date | None  # None: never verified

    def days_late(self, on: dt.date) -> int | None:
        """Days past the review date (negative: days left), None when never verified."""
        return (on - self.due_on).days if self.due_on else None


def review_items(session: Session, on: dt.date, horizon_days: int) -> list[ReviewItem]:
    """Active services never verified, overdue, or due within `horizon_days`; most urgent first."""
    services = session.scalars(
        select(Service)
        .options(selectinload(Service.organization))
        .where(Service.status == "active")
    )
    items = []
    for service in services:
        due = (
            service.verified_on + dt.timedelta(days=service.review_interval_days)
            if service.verified_on
            else None
        )
        if due is None or due <= on + dt.timedelta(days=horizon_days):
            items.append(ReviewItem(service, due))
    return sorted(items, key=lambda i: (i.due_on or dt.date.min, i.service.name))


@requires_roles(*READ_ROLES)
async def freshness_page(request: Request) -> Response:
    """GET /admin/freshness: overdue entries (and those due soon), one click to mark verified."""
    user = staff(request)
    on = today(request)
    mine = request.query_params.get("mine") == "1"
    with sessions(request)() as session:
        items = review_items(session, on, DUE_SOON_DAYS)
        if mine:
            items = [i for i in items if i.service.organization_id in user.organization_ids]
        overdue = [i for i in items if i.due_on is None or i.due_on < on]
        due_soon = [i for i in items if i.due_on is not None and i.due_on >= on]
        context = {
            "overdue": overdue,
            "due_soon": due_soon,
            "today": on,
            "mine": mine,
            "horizon": DUE_SOON_DAYS,
            "has_organizations": bool(user.organization_ids),
            "editable_ids": {
                i.service.id
                for i in items
                if can_edit_organization_content(user, i.service.organization_id)
            },
            "back": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        }
        return render(request, "admin/freshness.html", context)


def routes() -> list[Route]:
    """Routes of the freshness dashboard."""
    return [Route("/admin/freshness", freshness_page, methods=["GET"])]
