"""Which language to answer in, decided the same way by the NLG endpoint and the actions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.i18n.languages import SOURCE_LANGUAGE, normalise_code

LANGUAGE_SLOT = "language"
CHOSEN_LANGUAGE_SLOT = "chosen_language"


def choose_language(
    *,
    explicit: str | None = None,
    conversation: str | None = None,
    client: str | None = None,
    default: str = SOURCE_LANGUAGE,
) -> str:
    """Negotiation order: explicit choice, the conversation's language, client, default.

    The conversation's language is the language detected in the latest message when the
    detector was confident, otherwise the one detected earlier in the conversation.
    """
    for candidate in (explicit, conversation, client):
        code = normalise_code(candidate)
        if code:
            return code
    return normalise_code(default) or SOURCE_LANGUAGE


def language_from_tracker(tracker: Mapping[str, Any], default: str = SOURCE_LANGUAGE) -> str:
    """Negotiate the reply language from a Rasa tracker state (as sent to NLG and actions)."""
    slots = tracker.get("slots") or {}
    latest = tracker.get("latest_message") or {}
    metadata = latest.get("metadata") or {}
    return choose_language(
        explicit=slots.get(CHOSEN_LANGUAGE_SLOT),
        conversation=slots.get(LANGUAGE_SLOT),
        client=metadata.get("language"),
        default=default,
    )


def language_switch(tracker: Mapping[str, Any]) -> tuple[str, str] | None:
    """(new, previous) when this turn's message switched the conversation's language.

    Only for the first reply of the turn, and never after an explicit choice.
    """
    if (tracker.get("slots") or {}).get(CHOSEN_LANGUAGE_SLOT):
        return None
    events = list(tracker.get("events") or [])
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=None)
    if last_user is None:
        return None
    after = events[last_user + 1 :]
    if any(e.get("event") == "bot" for e in after):
        return None
    new = next(
        (
            e.get("value")
            for e in after
            if e.get("event") == "slot" and e.get("name") == LANGUAGE_SLOT
        ),
        None,
    )
    previous = next(
        (
            e.get("value")
            for e in reversed(events[:last_user])
            if e.get("event") == "slot" and e.get("name") == LANGUAGE_SLOT
        ),
        None,
    )
    if new and previous and new != previous:
        return str(new), str(previous)
    return None
