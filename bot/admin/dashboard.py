"""The admin home page: what needs attention today."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.admin import audit
from bot.admin.context import sessions, staff, today
from bot.admin.freshness import review_items
from bot.admin.pages import render
from bot.admin.permissions import READ_ROLES
from bot.catalogue.models import Service
from bot.conversations.models import UnansweredQuestion
from bot.web.auth import requires_roles

RECENT_DAYS = 30


@requires_roles(*READ_ROLES)
async def home(request: Request) -> Response:
    """GET /admin: counts that need attention and the latest changes."""
    user = staff(request)
    on = today(request)
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=RECENT_DAYS)
    with sessions(request)() as session:
        by_status = dict(
            session.execute(select(Service.status, func.count()).group_by(Service.status)).all()
        )
        overdue = [i for i in review_items(session, on, 0) if i.due_on is None or i.due_on < on]
        unanswered = session.scalar(
            select(func.count())
            .select_from(UnansweredQuestion)
            .where(UnansweredQuestion.created_at >= since)
        )
        context = {
            "active": by_status.get("active", 0),
            "archived": by_status.get("inactive", 0),
            "overdue": len(overdue),
            "my_overdue": sum(
                1 for i in overdue if i.service.organization_id in user.organization_ids
            ),
            "unanswered": unanswered or 0,
            "recent_days": RECENT_DAYS,
            "changes": audit.recent(session, limit=8),
        }
        return render(request, "admin/home.html", context)


def routes() -> list[Route]:
    """Routes of this module."""
    return [Route("/admin", home, methods=["GET"])]
