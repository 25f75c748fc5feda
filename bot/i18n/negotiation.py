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
    detected: str | None = None,
    client: str | None = None,
    previous: str | None = None,
    default: str = SOURCE_LANGUAGE,
) -> str:
    """Apply the negotiation order: explicit choice, detection, client, conversation, default."""
    for candidate in (explicit, detected, client, previous):
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
        detected=metadata.get("detected_language"),
        client=metadata.get("language"),
        previous=slots.get(LANGUAGE_SLOT),
        default=default,
    )
