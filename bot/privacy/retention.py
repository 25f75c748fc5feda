"""The retention job: erase conversations inactive for longer than RETENTION_DAYS.

A conversation's last activity is its newest tracker event. Inactive conversations lose
their tracker and every linked record (handoff requests, feedback, question log, staff
replies); records older than the period whose conversation is gone are deleted too.
Run daily (`python -m bot retention`, see the README); it is idempotent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import create_engine, delete, text

from bot.catalogue.db import make_engine, make_session_factory, unit_of_work
from bot.conversations.models import Feedback, HandoffRequest, UnansweredQuestion
from bot.conversations.outbox import OutboundMessage
from bot.privacy.erasure import (
    TRACKER_EVENTS_TABLE,
    erase_records,
    erase_trackers,
    tracker_exists,
)
from bot.settings import Settings

RECORD_MODELS = (HandoffRequest, Feedback, UnansweredQuestion, OutboundMessage)


@dataclass(frozen=True)
class RetentionReport:
    """What one run found and removed."""

    cutoff: dt.datetime
    conversations: int
    tracker_rows: int
    record_rows: int


def inactive_senders(tracker_store_url: str, cutoff: dt.datetime) -> list[str]:
    """Sender ids whose newest tracker event is older than `cutoff`."""
    if not tracker_exists(tracker_store_url):
        return []
    engine = create_engine(tracker_store_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    f"SELECT sender_id FROM {TRACKER_EVENTS_TABLE} GROUP BY sender_id "
                    "HAVING MAX(timestamp) < :cutoff"
                ),
                {"cutoff": cutoff.timestamp()},
            )
            return [str(row[0]) for row in rows]
    finally:
        engine.dispose()


def delete_old_records(settings: Settings, cutoff: dt.datetime) -> int:
    """Delete conversation records created before `cutoff` (whatever their conversation)."""
    engine = make_engine(settings.database_url)
    removed = 0
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            for model in RECORD_MODELS:
                result = session.execute(delete(model).where(model.created_at < cutoff))
                removed += int(getattr(result, "rowcount", 0) or 0)
    finally:
        engine.dispose()
    return removed


def run_retention(
    settings: Settings,
    days: int | None = None,
    now: dt.datetime | None = None,
    dry_run: bool = False,
) -> RetentionReport:
    """Erase what is older than `days` (default RETENTION_DAYS); `dry_run` only counts."""
    cutoff = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=days or settings.retention_days)
    senders = inactive_senders(settings.tracker_store_url, cutoff)
    if dry_run:
        return RetentionReport(cutoff, len(senders), 0, 0)
    records = erase_records(settings, senders) + delete_old_records(settings, cutoff)
    tracker_rows = erase_trackers(settings.tracker_store_url, senders)
    return RetentionReport(cutoff, len(senders), tracker_rows, records)
