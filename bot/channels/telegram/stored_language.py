"""The language of a conversation, read from the tracker store without asking Rasa.

The channel needs a person's language for its own notices (a sticker, an expired button,
"the assistant is down", a staff reply). Asking Rasa's HTTP API is not an option: for a
conversation that does not exist yet it starts a session (swallowing the first-contact
privacy notice and pinning the default language), and it cannot answer when the engine
is down, which is exactly when the apology is needed. So the channel reads the latest
`chosen_language` and `language` slot events from the SQL tracker store, read-only (the
same store the erasure already deletes from).
"""

from __future__ import annotations

import json
import logging

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from bot.i18n.negotiation import CHOSEN_LANGUAGE_SLOT, LANGUAGE_SLOT, choose_language

logger = logging.getLogger(__name__)
TRACKER_EVENTS_TABLE = "events"  # Rasa's SQLTrackerStore table
RECENT_SLOT_EVENTS = 200
LATEST_SLOT_EVENTS = text(
    f"SELECT data FROM {TRACKER_EVENTS_TABLE} "
    "WHERE sender_id = :sender AND type_name = 'slot' ORDER BY id DESC LIMIT :limit"
)


def latest_slots(rows: list[str], names: tuple[str, ...]) -> dict[str, str | None]:
    """The latest value of each named slot in slot events (newest first), if set."""
    found: dict[str, str | None] = {}
    for raw in rows:
        try:
            event = json.loads(raw)
        except (TypeError, ValueError):
            continue
        name = event.get("name") if isinstance(event, dict) else None
        if name in names and name not in found:
            value = event.get("value")
            found[name] = str(value) if value else None
        if len(found) == len(names):
            break
    return found


class StoredLanguage:
    """Reads conversation languages from the tracker store (call from a worker thread)."""

    def __init__(self, tracker_store_url: str, default: str) -> None:
        self._engine: Engine = create_engine(tracker_store_url)
        self._default = default

    def language(self, sender: str, client: str | None) -> str:
        """Chosen language, else the conversation's, else the client's, else the default."""
        try:
            with self._engine.connect() as connection:
                rows = [
                    str(row[0])
                    for row in connection.execute(
                        LATEST_SLOT_EVENTS, {"sender": sender, "limit": RECENT_SLOT_EVENTS}
                    )
                ]
        except SQLAlchemyError as error:  # no conversation table yet, or the store is down
            logger.debug("tracker store not readable: %s", type(error).__name__)
            rows = []
        slots = latest_slots(rows, (CHOSEN_LANGUAGE_SLOT, LANGUAGE_SLOT))
        return choose_language(
            explicit=slots.get(CHOSEN_LANGUAGE_SLOT),
            conversation=slots.get(LANGUAGE_SLOT),
            client=client,
            default=self._default,
        )

    def dispose(self) -> None:
        """Close the connection pool."""
        self._engine.dispose()
