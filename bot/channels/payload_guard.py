"""Only the bot's own buttons may send intent payloads; typed "/..." text stays plain text.

Rasa reads a message starting with "/" as an intent with entities. A person typing
`/request_human` or `/choose_language{"language": "xx"}` must not steer the dialogue that
way, so channels send a payload only when the bot offered that exact payload in the same
conversation, and strip the leading slashes from anything else.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

INTENT_PREFIX = "/"
DEFAULT_CAPACITY = 20_000


class OfferedPayloads:
    """Per sender, the button payloads of the bot's latest reply (bounded, thread-safe)."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self.capacity = capacity
        self._offered: OrderedDict[str, frozenset[str]] = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, sender_id: str, payloads: Iterable[str]) -> None:
        """Replace what `sender_id` may send as payloads with `payloads`."""
        with self._lock:
            self._offered[sender_id] = frozenset(payloads)
            self._offered.move_to_end(sender_id)
            while len(self._offered) > self.capacity:
                self._offered.popitem(last=False)

    def remember_reply(self, sender_id: str, messages: Sequence[Mapping[str, Any]]) -> None:
        """Remember the payloads of every button in a bot reply."""
        self.remember(sender_id, payloads_of(messages))

    def for_sender(self, sender_id: str) -> frozenset[str]:
        """The payloads currently offered to `sender_id` (empty when none)."""
        with self._lock:
            return self._offered.get(sender_id, frozenset())

    def forget(self, sender_id: str) -> None:
        """Drop what was offered to `sender_id` (after erasure or logout)."""
        with self._lock:
            self._offered.pop(sender_id, None)


def payloads_of(messages: Sequence[Mapping[str, Any]]) -> list[str]:
    """The button payloads of a bot reply, in order."""
    found: list[str] = []
    for message in messages:
        for button in message.get("buttons") or []:
            if isinstance(button, Mapping) and isinstance(button.get("payload"), str):
                found.append(button["payload"])
    return found


def neutralise(text: str) -> str:
    """Text that Rasa cannot read as an intent: leading whitespace and slashes removed."""
    cleaned = text.strip()
    while cleaned.startswith(INTENT_PREFIX):
        cleaned = cleaned[len(INTENT_PREFIX) :].lstrip()
    return cleaned


def guard_user_text(text: str, offered: frozenset[str] | set[str]) -> str:
    """`text` itself when it is a payload the bot offered, otherwise plain text with no intent."""
    if text in offered and text.startswith(INTENT_PREFIX):
        return text
    return neutralise(text)
