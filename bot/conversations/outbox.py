"""Messages from staff waiting to reach a person on their channel (web widget, Telegram)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import DateTime, Integer, String, Text, delete, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.catalogue.models import Base

MAX_TEXT_LENGTH = 4000  # below Telegram's 4,096 characters per message


class OutboundMessage(Base):
    """A staff reply queued for one pseudonymous sender on one channel."""

    __tablename__ = "outbound_message"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sender_id: Mapped[str] = mapped_column(String(128), index=True)
    channel: Mapped[str] = mapped_column(String(30), index=True)
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(255))
    handoff_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    delivered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class OutboxTextError(ValueError):
    """The text of an outbound message is empty or too long."""


def enqueue(
    session: Session,
    sender_id: str,
    channel: str,
    text: str,
    author: str,
    *,
    handoff_id: int | None = None,
) -> OutboundMessage:
    """Queue `text` for `sender_id` on `channel`; raises OutboxTextError for empty/long text."""
    cleaned = text.strip()
    if not cleaned:
        raise OutboxTextError("text is empty")
    if len(cleaned) > MAX_TEXT_LENGTH:
        raise OutboxTextError(f"text is longer than {MAX_TEXT_LENGTH} characters")
    message = OutboundMessage(
        sender_id=sender_id, channel=channel, text=cleaned, author=author, handoff_id=handoff_id
    )
    session.add(message)
    session.flush()
    return message


def pending(session: Session, channel: str, limit: int = 100) -> list[OutboundMessage]:
    """Undelivered messages of a channel, oldest first."""
    query = (
        select(OutboundMessage)
        .where(OutboundMessage.channel == channel, OutboundMessage.delivered_at.is_(None))
        .order_by(OutboundMessage.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def pending_for_sender(session: Session, sender_id: str) -> list[OutboundMessage]:
    """Undelivered messages of one sender, oldest first."""
    query = (
        select(OutboundMessage)
        .where(OutboundMessage.sender_id == sender_id, OutboundMessage.delivered_at.is_(None))
        .order_by(OutboundMessage.id)
    )
    return list(session.scalars(query))


def for_handoff(session: Session, handoff_id: int) -> list[OutboundMessage]:
    """Every reply sent for one handoff request, oldest first."""
    query = (
        select(OutboundMessage)
        .where(OutboundMessage.handoff_id == handoff_id)
        .order_by(OutboundMessage.id)
    )
    return list(session.scalars(query))


def mark_delivered(session: Session, ids: Sequence[int]) -> int:
    """Mark messages delivered (idempotent); return how many changed."""
    if not ids:
        return 0
    result = session.execute(
        update(OutboundMessage)
        .where(OutboundMessage.id.in_(list(ids)), OutboundMessage.delivered_at.is_(None))
        .values(delivered_at=dt.datetime.now(dt.UTC))
    )
    return int(getattr(result, "rowcount", 0) or 0)


def release(session: Session, ids: Sequence[int]) -> int:
    """Undo `mark_delivered` for messages whose sending failed; return how many changed."""
    if not ids:
        return 0
    result = session.execute(
        update(OutboundMessage)
        .where(OutboundMessage.id.in_(list(ids)), OutboundMessage.delivered_at.is_not(None))
        .values(delivered_at=None)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def erase_for_sender(session: Session, sender_id: str) -> int:
    """Delete every outbound message of one sender; return how many went."""
    result = session.execute(delete(OutboundMessage).where(OutboundMessage.sender_id == sender_id))
    return int(getattr(result, "rowcount", 0) or 0)
