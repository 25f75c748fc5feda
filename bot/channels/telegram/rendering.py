"""Rasa messages -> what Telegram shows: escaped HTML text in chunks, inline buttons, venues.

Pure functions: nothing here talks to Telegram, so every rule is unit-tested.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

MAX_MESSAGE_LENGTH = 4096  # Telegram's limit, in UTF-16 code units after entity parsing
CHUNK_LENGTH = 4000  # a margin below the limit
SHORT_TITLE = 18  # buttons with titles this short go two per row (language menus, yes/no)
EMPTY_TEXT = "·"  # Telegram refuses empty text; buttons alone get this


@dataclass(frozen=True)
class Button:
    """One inline button: its label and the payload it sends back."""

    title: str
    payload: str


@dataclass(frozen=True)
class OutgoingText:
    """A text message in HTML parse mode, with buttons under the last chunk."""

    html: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class OutgoingVenue:
    """A service address as a venue (a map pin with its name); a bare pin without an address."""

    latitude: float
    longitude: float
    title: str
    address: str


Outgoing = OutgoingText | OutgoingVenue


def telegram_length(text: str) -> int:
    """The length Telegram counts: UTF-16 code units (an emoji counts two)."""
    return len(text.encode("utf-16-le")) // 2


def _prefix_within(text: str, limit: int) -> int:
    """How many characters of `text` fit in `limit` UTF-16 code units."""
    units = 0
    for index, character in enumerate(text):
        units += 2 if ord(character) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def split_text(text: str, limit: int = CHUNK_LENGTH) -> list[str]:
    """Split at paragraph, line or word boundaries so each chunk fits one message."""
    chunks: list[str] = []
    rest = text.strip()
    while telegram_length(rest) > limit:
        fits = _prefix_within(rest, limit)
        window = rest[:fits]
        cut = window.rfind("\n\n")
        if cut <= 0:
            cut = window.rfind("\n")
        if cut <= 0:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = fits
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks


def to_html(text: str, bold: str | None = None) -> str:
    """Escape every character Telegram's HTML mode reads; optionally bold one value.

    The value is located in the raw text and escaped on its own, so a name such as
    `<b>` or `A&B` can neither inject markup nor be split by an entity.
    """
    if bold:
        start = text.find(bold)
        if start >= 0:
            end = start + len(bold)
            return (
                html.escape(text[:start], quote=False)
                + f"<b>{html.escape(bold, quote=False)}</b>"
                + html.escape(text[end:], quote=False)
            )
    return html.escape(text, quote=False)


def keyboard_rows(buttons: Sequence[Button]) -> list[list[Button]]:
    """One button per row, or two per row when every title is short."""
    if buttons and all(len(button.title) <= SHORT_TITLE for button in buttons):
        return [list(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
    return [[button] for button in buttons]


def service_of(message: dict[str, Any]) -> dict[str, Any] | None:
    """The service payload of a message, when it is a service card's machine-readable half."""
    custom = message.get("custom")
    if isinstance(custom, dict) and custom.get("type") == "service":
        return custom
    return None


def _coordinate(value: Any, bound: float) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if -bound <= number <= bound else None


def venue_of(service: dict[str, Any]) -> OutgoingVenue | None:
    """The venue of a service payload, when its location has valid coordinates."""
    location = service.get("location")
    if not isinstance(location, dict):
        return None
    latitude = _coordinate(location.get("latitude"), 90)
    longitude = _coordinate(location.get("longitude"), 180)
    if latitude is None or longitude is None:
        return None
    title = str(location.get("name") or service.get("name") or "").strip()
    address = str(location.get("address") or "").strip()
    return OutgoingVenue(latitude, longitude, title, address)


def _buttons(message: dict[str, Any]) -> tuple[Button, ...]:
    return tuple(
        Button(str(b["title"]), str(b["payload"]))
        for b in message.get("buttons") or []
        if isinstance(b, dict) and b.get("payload") and b.get("title")
    )


def render(messages: list[dict[str, Any]]) -> list[Outgoing]:
    """What to send, in order, for the engine's messages of one turn.

    Rasa's REST channel sends a card's text and its custom payload as two messages in
    a row: the name in the text is bolded, and the address follows as a venue.
    """
    outgoing: list[Outgoing] = []
    for index, message in enumerate(messages):
        service = service_of(message)
        if service is not None:
            venue = venue_of(service)
            if venue is not None:
                outgoing.append(venue)
            continue
        text = str(message.get("text") or "")
        buttons = _buttons(message)
        if not text.strip() and not buttons:
            continue
        following = messages[index + 1] if index + 1 < len(messages) else {}
        card = service_of(following)
        name = str(card.get("name") or "") if card else ""
        chunks = split_text(text) or [EMPTY_TEXT]
        for number, chunk in enumerate(chunks, start=1):
            outgoing.append(
                OutgoingText(
                    html=to_html(chunk, bold=name if number == 1 else None),
                    buttons=buttons if number == len(chunks) else (),
                )
            )
    return outgoing
