"""The "I follow your new language" note belongs to the turn, not to each of its messages.

The NLG endpoint renders each response of a turn on its own, so when one action sends
several messages right after a language switch, each carries the note as its first
paragraph and the one-tap way back as its last button. Channels show it once.
"""

from __future__ import annotations

from typing import Any

PARAGRAPH = "\n\n"
WAY_BACK_PREFIX = "/choose_language"


def _decoration(message: dict[str, Any]) -> tuple[str, str] | None:
    """(note paragraph, way-back payload) when the message carries both."""
    buttons = message.get("buttons") or []
    text = message.get("text")
    if not buttons or not isinstance(text, str) or PARAGRAPH not in text:
        return None
    payload = str(buttons[-1].get("payload", ""))
    if not payload.startswith(WAY_BACK_PREFIX):
        return None
    return text.split(PARAGRAPH, 1)[0], payload


def note_once(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep the note and the way-back button on the first message that has them."""
    first: tuple[str, str] | None = None
    shown = []
    for message in messages:
        decoration = _decoration(message)
        if decoration is None:
            shown.append(message)
        elif first is None:
            first = decoration
            shown.append(message)
        elif decoration == first:
            rest = dict(message)
            rest["text"] = message["text"].split(PARAGRAPH, 1)[1]
            rest["buttons"] = message["buttons"][:-1]
            if not rest["buttons"]:
                del rest["buttons"]
            shown.append(rest)
        else:
            shown.append(message)
    return shown
