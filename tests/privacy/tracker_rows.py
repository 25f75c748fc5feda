"""Conversations written the way Rasa's SQLTrackerStore stores them, plus linked records."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine, func
from sqlalchemy import select as sql_select

from bot.catalogue.db import make_engine, make_session_factory, unit_of_work
from bot.conversations.models import Feedback, HandoffRequest, UnansweredQuestion
from bot.conversations.outbox import OutboundMessage, enqueue
from bot.conversations.records import create_handoff, record_feedback, record_unanswered

METADATA = MetaData()
EVENTS = Table(  # the columns of rasa.core.tracker_store.SQLTrackerStore.SQLEvent
    "events",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)
RECORD_MODELS = (HandoffRequest, Feedback, UnansweredQuestion, OutboundMessage)


def add_conversation(
    tracker_url: str, database_url: str, sender: str, last_active: dt.datetime
) -> None:
    """A user turn and a bot turn ending at `last_active`, with a handoff, feedback,
    a question-log entry and a staff reply linked to `sender`."""
    engine = create_engine(tracker_url)
    try:
        METADATA.create_all(engine)
        with engine.begin() as connection:
            for offset, kind in ((60.0, "user"), (0.0, "bot")):
                stamp = last_active.timestamp() - offset
                data = {"event": kind, "timestamp": stamp, "text": "ciao"}
                connection.execute(
                    EVENTS.insert().values(
                        sender_id=sender, type_name=kind, timestamp=stamp, data=json.dumps(data)
                    )
                )
    finally:
        engine.dispose()
    catalogue = make_engine(database_url)
    try:
        with unit_of_work(make_session_factory(catalogue)) as session:
            create_handoff(
                session,
                sender_id=sender,
                channel="web",
                language="it",
                excerpt=None,
                service_id=None,
            )
            record_feedback(
                session,
                sender_id=sender,
                service_id=None,
                helpful=False,
                language="it",
                question="dove trovo un medico",
            )
            record_unanswered(
                session, sender_id=sender, language="it", question="orari", reason="no_match"
            )
            enqueue(session, sender, "web", "Risposta dello sportello", "desk")
            session.flush()
            for model in RECORD_MODELS:  # the records are as old as the conversation
                session.query(model).filter(model.sender_id == sender).update(
                    {model.created_at: last_active}
                )
    finally:
        catalogue.dispose()


def rows_of(tracker_url: str, database_url: str, sender: str) -> dict[str, int]:
    """How many rows of `sender` each store holds."""
    counts: dict[str, int] = {}
    engine = create_engine(tracker_url)
    try:
        with engine.connect() as connection:
            counts["events"] = int(
                connection.scalar(
                    sql_select(func.count()).select_from(EVENTS).where(EVENTS.c.sender_id == sender)
                )
                or 0
            )
    finally:
        engine.dispose()
    catalogue = make_engine(database_url)
    try:
        with make_session_factory(catalogue)() as session:
            for model in RECORD_MODELS:
                query = sql_select(func.count()).where(model.sender_id == sender)
                counts[model.__tablename__] = int(session.scalar(query) or 0)
    finally:
        catalogue.dispose()
    return counts
