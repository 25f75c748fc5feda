"""Read Rasa's tracker events straight from PostgreSQL and check they are sound."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import psycopg
from sqlalchemy.engine import make_url


@dataclass(frozen=True)
class Event:
    """One row of Rasa's `events` table."""

    id: int
    sender_id: str
    type_name: str
    timestamp: float
    data: dict[str, Any]


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def events(tracker_url: str, sender_id: str | None = None) -> list[Event]:
    """Every stored event (of one conversation), in storage order."""
    query = "SELECT id, sender_id, type_name, timestamp, data FROM events"
    params: tuple[str, ...] = ()
    if sender_id is not None:
        query += " WHERE sender_id = %s"
        params = (sender_id,)
    with psycopg.connect(_dsn(tracker_url)) as db:
        rows = db.execute(query + " ORDER BY id", params).fetchall()
    return [Event(r[0], r[1], r[2], float(r[3]), json.loads(r[4] or "{}")) for r in rows]


def user_events(tracker_url: str, sender_id: str) -> list[Event]:
    """The person's messages of one conversation, in storage order."""
    return [e for e in events(tracker_url, sender_id) if e.type_name == "user"]


def corruption(tracker_url: str) -> list[str]:
    """Problems in any stored conversation: timestamps out of order or repeated events."""
    problems: list[str] = []
    by_sender: dict[str, list[Event]] = {}
    for event in events(tracker_url):
        by_sender.setdefault(event.sender_id, []).append(event)
    for sender, stored in by_sender.items():
        stamps = [e.timestamp for e in stored]
        if stamps != sorted(stamps):
            problems.append(f"{sender}: timestamps out of order")
        keys = [(e.type_name, e.timestamp, json.dumps(e.data, sort_keys=True)) for e in stored]
        if len(keys) != len(set(keys)):
            problems.append(f"{sender}: repeated events")
    return problems
