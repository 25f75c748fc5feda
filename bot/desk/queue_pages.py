"""The handoff queue pages: list, take, reply, close (plain forms, CSRF-checked)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.catalogue.db import unit_of_work
from bot.conversations.outbox import MAX_TEXT_LENGTH
from bot.desk import handoffs
from bot.desk.handoffs import HandoffActionError
from bot.desk.views import no_store, render_desk
from bot.web.auth import current_user_cached, requires_roles

# notices shown after a redirect: ?notice=<key>&case=<code>; only these keys exist
NOTICES = {
    "taken": "desk_taken_done",
    "sent": "desk_reply_sent",
    "closed": "desk_closed_done",
}
# problems of an action -> the staff message explaining it
PROBLEMS = {
    "missing": "desk_request_missing",
    "taken": "desk_taken_already",
    "not_taken": "desk_reply_not_yours",
    "not_yours": "desk_not_allowed",
    "closed": "desk_status_closed",
    "no_channel": "desk_reply_no_channel",
    "empty": "desk_reply_empty",
    "too_long": "desk_reply_too_long",
}


def _staff(request: Request) -> tuple[str, bool]:
    user = current_user_cached(request)
    if user is None:  # requires_roles ran first; kept for the type checker
        raise PermissionError("not logged in")
    return user.username, user.role == "admin"


def _load(request: Request) -> tuple[list[handoffs.QueueEntry], list[handoffs.QueueEntry]]:
    with unit_of_work(request.app.state.sessions) as session:
        active, closed = handoffs.queue(session)
        for entry in [*active, *closed]:
            session.expunge(entry.request)
            for message in entry.replies:
                session.expunge(message)
        return active, closed


async def _page(
    request: Request,
    *,
    problem: dict[str, Any] | None = None,
    draft: str = "",
    status_code: int = 200,
) -> Response:
    active, closed = await asyncio.to_thread(_load, request)
    notice_key = NOTICES.get(request.query_params.get("notice", ""))
    return await render_desk(
        request,
        "desk/queue.html",
        {
            "active": active,
            "closed": closed,
            "notice": notice_key,
            "notice_case": request.query_params.get("case", "")[:12],
            "problem": problem,
            "draft": draft,
            "me": _staff(request)[0],
            "max_reply": MAX_TEXT_LENGTH,
        },
        status_code=status_code,
    )


@requires_roles("desk")
async def queue_page(request: Request) -> Response:
    """GET: requests waiting or taken, and the recently closed ones."""
    return await _page(request)


def _request_id(request: Request) -> int:
    return int(request.path_params["request_id"])


async def _act(
    request: Request,
    action: Callable[[Any, int, str, bool, str], str],
    notice: str,
    text: str = "",
) -> Response:
    """Run a queue action; redirect with a notice, or show the page with the problem."""
    staff, is_admin = _staff(request)
    request_id = _request_id(request)

    def run() -> str:
        with unit_of_work(request.app.state.sessions) as session:
            return action(session, request_id, staff, is_admin, text)

    try:
        case_code = await asyncio.to_thread(run)
    except HandoffActionError as error:
        problem = {
            "request_id": request_id,
            "field": error.field,
            "message": PROBLEMS.get(error.problem, "desk_error"),
            "holder": error.holder,
            "max": MAX_TEXT_LENGTH,
        }
        status = 404 if error.problem == "missing" else 409 if error.field == "request" else 400
        return await _page(request, problem=problem, draft=text, status_code=status)
    query = urlencode({"notice": notice, "case": case_code})
    return no_store(RedirectResponse(f"/desk/queue?{query}#request-{request_id}", 303))


@requires_roles("desk")
async def take_endpoint(request: Request) -> Response:
    """POST: take the request (the person is told someone is on it)."""

    def take(session: Any, request_id: int, staff: str, is_admin: bool, text: str) -> str:
        return handoffs.take(session, request_id, staff).case_code

    return await _act(request, take, "taken")


@requires_roles("desk")
async def reply_endpoint(request: Request) -> Response:
    """POST text: queue a reply on the person's channel."""
    form = await request.form()
    text = str(form.get("text", ""))

    def reply(session: Any, request_id: int, staff: str, is_admin: bool, body: str) -> str:
        message = handoffs.reply(session, request_id, staff, body, is_admin=is_admin)
        request_row = session.get(handoffs.HandoffRequest, message.handoff_id)
        return str(request_row.case_code) if request_row else ""

    return await _act(request, reply, "sent", text)


@requires_roles("desk")
async def close_endpoint(request: Request) -> Response:
    """POST: close the request."""

    def close(session: Any, request_id: int, staff: str, is_admin: bool, text: str) -> str:
        handoffs.close(session, request_id, staff, is_admin=is_admin)
        request_row = session.get(handoffs.HandoffRequest, request_id)
        return str(request_row.case_code) if request_row else ""

    return await _act(request, close, "closed")


def queue_routes() -> list[BaseRoute]:
    """Routes of the handoff queue."""
    return [
        Route("/desk/queue", queue_page, methods=["GET"]),
        Route("/desk/queue/{request_id:int}/take", take_endpoint, methods=["POST"]),
        Route("/desk/queue/{request_id:int}/reply", reply_endpoint, methods=["POST"]),
        Route("/desk/queue/{request_id:int}/close", close_endpoint, methods=["POST"]),
    ]
