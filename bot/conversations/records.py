"""Create and erase conversation records."""

from __future__ import annotations

import secrets

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.conversations.models import Feedback, HandoffRequest, UnansweredQuestion
from bot.privacy.scrub import scrub

CASE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I


def new_case_code(session: Session) -> str:
    """A short, unambiguous, unused case code such as 'CR-7K3P9'."""
    while True:
        code = "CR-" + "".join(secrets.choice(CASE_ALPHABET) for _ in range(5))
        if (
            session.scalar(select(HandoffRequest.id).where(HandoffRequest.case_code == code))
            is None
        ):
            return code


def create_handoff(
    session: Session,
    *,
    sender_id: str,
    channel: str,
    language: str,
    excerpt: str | None,
    service_id: str | None,
) -> HandoffRequest:
    """Queue a request for a person; the excerpt is stored only when given (consent), scrubbed."""
    request = HandoffRequest(
        case_code=new_case_code(session),
        sender_id=sender_id,
        channel=channel,
        language=language,
        excerpt=scrub(excerpt) if excerpt else None,
        service_id=service_id,
    )
    session.add(request)
    session.flush()
    return request


def record_feedback(
    session: Session,
    *,
    sender_id: str,
    service_id: str | None,
    helpful: bool,
    language: str,
    question: str | None,
) -> None:
    """Store a helpful / not helpful answer, and a not-helpful question as a catalogue gap."""
    scrubbed = scrub(question) if question else None
    session.add(
        Feedback(
            sender_id=sender_id,
            service_id=service_id,
            helpful=helpful,
            language=language,
            question=scrubbed,
        )
    )
    if not helpful and scrubbed:
        record_unanswered(
            session, sender_id=sender_id, language=language, question=scrubbed, reason="not_helpful"
        )


def record_unanswered(
    session: Session, *, sender_id: str, language: str, question: str, reason: str
) -> None:
    """Store a question the catalogue could not answer, with personal data scrubbed."""
    text = scrub(question)
    if text:
        session.add(
            UnansweredQuestion(sender_id=sender_id, language=language, question=text, reason=reason)
        )


def erase_sender_records(session: Session, sender_id: str) -> int:
    """Delete every record of one sender; return how many rows went."""
    removed = 0
    for model in (HandoffRequest, Feedback, UnansweredQuestion):
        result = session.execute(delete(model).where(model.sender_id == sender_id))
        removed += int(getattr(result, "rowcount", 0) or 0)
    return removed
