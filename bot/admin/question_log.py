"""Questions per language over time, read from the conversation log (Rasa's SQL tracker store).

Only counts are read: each user message's time and language (the language detected in the
text, else the language the client declared). Button presses ("/intent" payloads) and the
admin preview's throwaway conversations are not questions and are left out.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

logger = logging.getLogger(__name__)

EVENTS_TABLE = "events"  # Rasa's SQLTrackerStore table
UNKNOWN_LANGUAGE = "und"
LANGUAGE_ENTITY = "detected_language"
Weekly = dict[dt.date, Counter[str]]


def _language(data: dict[str, object]) -> str:
    parse = data.get("parse_data")
    entities = parse.get("entities") if isinstance(parse, dict) else None
    for entity in entities if isinstance(entities, list) else []:
        if isinstance(entity, dict) and entity.get("entity") == LANGUAGE_ENTITY:
            return str(entity.get("value") or UNKNOWN_LANGUAGE)
    metadata = data.get("metadata")
    if isinstance(metadata, dict) and metadata.get("language"):
        return str(metadata["language"])
    return UNKNOWN_LANGUAGE


def _is_question(data: dict[str, object]) -> bool:
    message = data.get("text")
    return isinstance(message, str) and bool(message.strip()) and not message.startswith("/")


def week_start(day: dt.date) -> dt.date:
    """The Monday of a date's week."""
    return day - dt.timedelta(days=day.weekday())


def _readable(url: str) -> bool:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return True
    return bool(parsed.database) and Path(str(parsed.database)).is_file()


def questions_per_week(
    tracker_store_url: str,
    since: dt.datetime,
    timezone: str,
    exclude_sender_prefix: str,
) -> Weekly:
    """Week (Monday, local time) -> language -> number of questions since `since`."""
    weekly: Weekly = {}
    if not tracker_store_url or not _readable(tracker_store_url):
        return weekly
    zone = ZoneInfo(timezone)
    engine = create_engine(tracker_store_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    f"SELECT timestamp, data FROM {EVENTS_TABLE} "
                    "WHERE type_name = 'user' AND timestamp >= :since "
                    "AND sender_id NOT LIKE :preview"
                ),
                {"since": since.timestamp(), "preview": exclude_sender_prefix + "%"},
            )
            for timestamp, raw in rows:
                try:
                    data = json.loads(raw)
                except (TypeError, ValueError):
                    continue
                if not isinstance(data, dict) or not _is_question(data):
                    continue
                day = dt.datetime.fromtimestamp(float(timestamp), zone).date()
                weekly.setdefault(week_start(day), Counter())[_language(data)] += 1
    except SQLAlchemyError as error:  # no conversations yet (no table) or the store is down
        logger.warning("conversation log not readable: %s", error)
    finally:
        engine.dispose()
    return weekly
