"""Erase everything stored about one pseudonymous sender, and note it in the erasure ledger."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.catalogue.db import make_engine, make_session_factory, unit_of_work
from bot.conversations.outbox import erase_for_sender
from bot.conversations.records import erase_sender_records
from bot.privacy.ledger import DatabaseLedger, ErasureLedger, FileLedger
from bot.settings import Settings

TRACKER_EVENTS_TABLE = "events"  # Rasa's SQLTrackerStore table


def tracker_exists(tracker_store_url: str) -> bool:
    """False when the SQLite tracker file was never created (nothing to erase there)."""
    url = make_url(tracker_store_url)
    if url.get_backend_name() != "sqlite":
        return True
    return bool(url.database) and Path(str(url.database)).is_file()


def erase_tracker(tracker_store_url: str, sender_id: str) -> int:
    """Delete the conversation's events from Rasa's SQL tracker store."""
    return erase_trackers(tracker_store_url, [sender_id])


def erase_trackers(tracker_store_url: str, sender_ids: Iterable[str]) -> int:
    """Delete the events of several conversations; return how many rows went."""
    senders = list(sender_ids)
    if not senders or not tracker_exists(tracker_store_url):
        return 0
    engine = create_engine(tracker_store_url)
    removed = 0
    try:
        with engine.begin() as connection:
            for sender in senders:
                result = connection.execute(
                    text(f"DELETE FROM {TRACKER_EVENTS_TABLE} WHERE sender_id = :sender"),
                    {"sender": sender},
                )
                removed += int(result.rowcount or 0)
    finally:
        engine.dispose()
    return removed


def ledger_of(settings: Settings) -> ErasureLedger:
    """The deployment's erasure ledger: its database if ERASURE_LEDGER_URL is set, else its file."""
    if settings.erasure_ledger_url:
        return DatabaseLedger(settings.erasure_ledger_url, settings.pseudonym_key)
    assert settings.erasure_ledger is not None  # derived by Settings
    return FileLedger(settings.erasure_ledger, settings.pseudonym_key)


def erase_records(settings: Settings, sender_ids: Iterable[str]) -> int:
    """Delete handoffs, feedback, question log and staff replies of several senders."""
    engine = make_engine(settings.database_url)
    removed = 0
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            for sender in sender_ids:
                removed += erase_sender_records(session, sender)
                removed += erase_for_sender(session, sender)  # staff replies in the outbox
    finally:
        engine.dispose()
    return removed


def erase_sender(settings: Settings, sender_id: str, *, remember: bool = True) -> int:
    """Delete the tracker and every record of a sender; return the number of rows removed.

    The erasure is noted in the ledger first (so a restore repeats it even if this fails
    half-way); `remember=False` is for throwaway conversations such as admin previews.
    """
    if remember:
        ledger_of(settings).record(sender_id)
    removed = erase_records(settings, [sender_id])
    return removed + erase_tracker(settings.tracker_store_url, sender_id)
