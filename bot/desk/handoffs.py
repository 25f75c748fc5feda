"""The handoff queue: requests for a person, taken, answered and closed by desk staff.

A reply is queued in the outbox on the person's own channel (the web widget polls for it,
the Telegram channel delivers it); a request taken from the queue tells the person so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.conversations.models import HandoffRequest
from bot.conversations.outbox import (
    MAX_TEXT_LENGTH,
    OutboundMessage,
    OutboxTextError,
    enqueue,
    for_handoff,
)
from bot.i18n.translator import render

OPEN, TAKEN, CLOSED = "open", "taken", "closed"
REPLY_CHANNELS = frozenset({"web", "telegram"})  # channels a staff reply can reach
CLOSED_SHOWN = 20


class HandoffActionError(ValueError):
    """A queue action that cannot be done: a problem code, the field, and who holds it."""

    def __init__(self, problem: str, field: str = "request", holder: str = "") -> None:
        super().__init__(f"{field}: {problem}")
        self.problem = problem
        self.field = field
        self.holder = holder


@dataclass(frozen=True)
class QueueEntry:
    """A request with the replies already sent for it."""

    request: HandoffRequest
    replies: list[OutboundMessage]

    @property
    def can_reply(self) -> bool:
        """True when the person's channel can receive a staff reply."""
        return self.request.channel in REPLY_CHANNELS


def queue(session: Session) -> tuple[list[QueueEntry], list[QueueEntry]]:
    """(open and taken requests, oldest first; the most recently closed ones)."""
    active = session.scalars(
        select(HandoffRequest)
        .where(HandoffRequest.status.in_((OPEN, TAKEN)))
        .order_by(HandoffRequest.created_at, HandoffRequest.id)
    )
    closed = session.scalars(
        select(HandoffRequest)
        .where(HandoffRequest.status == CLOSED)
        .order_by(HandoffRequest.closed_at.desc(), HandoffRequest.id.desc())
        .limit(CLOSED_SHOWN)
    )
    return (
        [QueueEntry(r, for_handoff(session, r.id)) for r in active],
        [QueueEntry(r, for_handoff(session, r.id)) for r in closed],
    )


def waiting_count(session: Session) -> int:
    """How many requests nobody has taken yet."""
    query = select(func.count()).where(HandoffRequest.status == OPEN)
    return int(session.scalar(query) or 0)


def _get(session: Session, request_id: int) -> HandoffRequest:
    request = session.get(HandoffRequest, request_id)
    if request is None:
        raise HandoffActionError("missing")
    return request


def _check_holder(request: HandoffRequest, staff: str, is_admin: bool) -> None:
    if request.status == CLOSED:
        raise HandoffActionError("closed", holder=request.taken_by or "")
    if request.status != TAKEN:
        raise HandoffActionError("not_taken")
    if request.taken_by != staff and not is_admin:
        raise HandoffActionError("not_yours", holder=request.taken_by or "")


def take(session: Session, request_id: int, staff: str) -> HandoffRequest:
    """Take an open request (atomically: two desks cannot both take it); tell the person."""
    now = dt.datetime.now(dt.UTC)
    result = session.execute(
        update(HandoffRequest)
        .where(HandoffRequest.id == request_id, HandoffRequest.status == OPEN)
        .values(status=TAKEN, taken_by=staff, taken_at=now)
    )
    request = _get(session, request_id)
    session.refresh(request)
    if not getattr(result, "rowcount", 0):
        if request.status == TAKEN and request.taken_by == staff:
            return request
        raise HandoffActionError("taken", holder=request.taken_by or "")
    if request.channel in REPLY_CHANNELS:
        notice = render(
            "handoff_taken_notice", request.language, {"case_code": request.case_code}, "desk"
        )
        enqueue(session, request.sender_id, request.channel, notice, staff, handoff_id=request.id)
    return request


def reply(
    session: Session, request_id: int, staff: str, text: str, *, is_admin: bool = False
) -> OutboundMessage:
    """Queue a reply to the person on their channel (the request must be taken by `staff`)."""
    request = _get(session, request_id)
    _check_holder(request, staff, is_admin)
    if request.channel not in REPLY_CHANNELS:
        raise HandoffActionError("no_channel", field="text")
    if not text.strip():
        raise HandoffActionError("empty", field="text")
    if len(text.strip()) > MAX_TEXT_LENGTH:
        raise HandoffActionError("too_long", field="text")
    try:
        return enqueue(
            session, request.sender_id, request.channel, text, staff, handoff_id=request.id
        )
    except OutboxTextError as error:
        raise HandoffActionError("empty", field="text") from error


def close(session: Session, request_id: int, staff: str, *, is_admin: bool = False) -> None:
    """Close a request: an open one by anybody at the desk, a taken one by its holder."""
    request = _get(session, request_id)
    if request.status == CLOSED:
        return
    if request.status == TAKEN and request.taken_by != staff and not is_admin:
        raise HandoffActionError("not_yours", holder=request.taken_by or "")
    request.status = CLOSED
    request.closed_at = dt.datetime.now(dt.UTC)
    if request.taken_by is None:
        request.taken_by = staff
    session.flush()
