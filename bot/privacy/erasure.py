"""Erase everything stored about one pseudonymous sender."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from bot.catalogue.db import make_engine, make_session_factory, unit_of_work
from bot.conversations.outbox import erase_for_sender
from bot.conversations.records import erase_sender_records
from bot.settings import Settings

TRACKER_EVENTS_TABLE = "events"  # Rasa's SQLTrackerStore table


def erase_tracker(tracker_store_url: str, sender_id: str) -> int:
    """Delete the conversation's events from Rasa's SQL tracker store."""
    engine = create_engine(tracker_store_url)
    try:
        with engine.begin() as connection:
            result = connection.execute(
                text(f"DELETE FROM {TRACKER_EVENTS_TABLE} WHERE sender_id = :sender"),
                {"sender": sender_id},
            )
            return int(result.rowcount or 0)
    finally:
        engine.dispose()


def erase_sender(settings: Settings, sender_id: str) -> int:
    """Delete the tracker and every record of a sender; return the number of rows removed."""
    engine = make_engine(settings.database_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            removed = erase_sender_records(session, sender_id)
            removed += erase_for_sender(session, sender_id)  # staff replies in the outbox
    finally:
        engine.dispose()
    return removed + erase_tracker(settings.tracker_store_url, sender_id)
