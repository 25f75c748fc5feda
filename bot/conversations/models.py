"""Records created by conversations, all keyed by the pseudonymous sender id."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from bot.catalogue.models import Base


class HandoffRequest(Base):
    """A person asked for a human; staff see it in the desk queue."""

    __tablename__ = "handoff_request"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_code: Mapped[str] = mapped_column(String(12), unique=True)
    sender_id: Mapped[str] = mapped_column(String(128), index=True)
    channel: Mapped[str] = mapped_column(String(30))
    language: Mapped[str] = mapped_column(String(16))
    excerpt: Mapped[str | None] = mapped_column(Text)  # only with consent, scrubbed
    service_id: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default="open")  # open / taken / closed
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    taken_by: Mapped[str | None] = mapped_column(String(255))  # staff name, set by the desk
    taken_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Feedback(Base):
    """Was this answer helpful?"""

    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sender_id: Mapped[str] = mapped_column(String(128), index=True)
    service_id: Mapped[str | None] = mapped_column(String(64), index=True)
    helpful: Mapped[bool] = mapped_column(Boolean)
    language: Mapped[str] = mapped_column(String(16))
    question: Mapped[str | None] = mapped_column(Text)  # scrubbed
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class UnansweredQuestion(Base):
    """A question the catalogue could not answer (scrubbed), for administrators."""

    __tablename__ = "unanswered_question"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sender_id: Mapped[str] = mapped_column(String(128), index=True)
    language: Mapped[str] = mapped_column(String(16))
    question: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(30))  # no_match / not_understood / not_helpful
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
