"""The desk transcript: every bot message in the citizen's language and in Italian.

The engine's tracker keeps, for each bot message, the response name and the variables the
action sent (Rasa stores them in the event's metadata). The Italian version is composed from
the same response and variables by the same composer the NLG endpoint uses, with any service
card re-read from the catalogue in Italian, so staff and citizen read the same answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.channels.gateway import INTERNAL_TYPES
from bot.i18n.languages import BY_CODE, normalise_code
from bot.i18n.negotiation import CHOSEN_LANGUAGE_SLOT, LANGUAGE_SLOT
from bot.i18n.replies import compose
from bot.i18n.translator import MissingMessageError
from bot.widget.rich_text import neutralise_bidi, segments

ITALIAN = "it"
# keys of a bot event's metadata that are not variables of the response
NOT_VARIABLES = frozenset(
    {"utter_action", "template", "response", "custom", "json_message", "buttons", "text"}
)
# responses that name the language they are written in: an Italian rendering would mislead
NO_ITALIAN_VERSION = frozenset({"utter_language_changed"})
# the response that presents a whole service: the desk shows the catalogue card in its place
# (a follow-up answer such as the documents of a service keeps its own text)
CARD_RESPONSE = "utter_service_card"
HISTORY_LIMIT = 200  # events read back when the desk page is reloaded

CardLoader = Callable[[str], dict[str, Any] | None]  # service id -> Italian card


@dataclass(frozen=True)
class ConversationLanguage:
    """The citizen's language as the engine sees it, and whether staff chose it."""

    code: str
    chosen: bool
    detected: bool

    def as_json(self) -> dict[str, Any]:
        """The language as the desk script reads it."""
        language = BY_CODE[self.code]
        return {
            "code": self.code,
            "name": language.native_name,
            "dir": language.direction,
            "chosen": self.chosen,
            "detected": self.detected,
        }


def conversation_language(tracker: Mapping[str, Any], default: str) -> ConversationLanguage:
    """The chosen language, else the detected one, else `default`."""
    slots = tracker.get("slots") or {}
    chosen = normalise_code(slots.get(CHOSEN_LANGUAGE_SLOT))
    if chosen:
        return ConversationLanguage(chosen, True, False)
    detected = normalise_code(slots.get(LANGUAGE_SLOT))
    if detected:
        return ConversationLanguage(detected, False, True)
    return ConversationLanguage(normalise_code(default) or ITALIAN, False, False)


def _side(locale: str, text: str, buttons: list[dict[str, str]]) -> dict[str, Any]:
    language = BY_CODE.get(locale)
    return {
        "lang": locale,
        "dir": language.direction if language else "ltr",
        "segments": segments(text) if text else [],
        "buttons": buttons,
    }


def _buttons(raw: object) -> list[dict[str, str]]:
    return [
        {"title": neutralise_bidi(str(b.get("title", ""))), "payload": str(b["payload"])}
        for b in (raw if isinstance(raw, list) else [])
        if isinstance(b, dict) and isinstance(b.get("payload"), str)
    ]


def _service_id(custom: object) -> str | None:
    if isinstance(custom, dict) and custom.get("type") == "service" and custom.get("id"):
        return str(custom["id"])
    return None


def italian_version(
    metadata: Mapping[str, Any], italian_card: CardLoader, municipality: str
) -> dict[str, Any] | None:
    """The Italian text and buttons of a bot message, composed from its response name."""
    response = metadata.get("utter_action")
    if not isinstance(response, str) or response in NO_ITALIAN_VERSION:
        return None
    variables = {k: v for k, v in metadata.items() if k not in NOT_VARIABLES}
    card = variables.get("card")
    if isinstance(card, dict) and card.get("id"):
        variables["card"] = italian_card(str(card["id"])) or card
    variables["language"] = ITALIAN
    variables.setdefault("municipality", municipality)
    try:
        reply = compose(response, variables, ITALIAN)
    except (MissingMessageError, KeyError, TypeError, ValueError):
        return None
    return _side(ITALIAN, neutralise_bidi(reply.text), _buttons(reply.buttons))


def bot_message(
    event: Mapping[str, Any],
    citizen_language: str,
    italian_card: CardLoader,
    municipality: str,
) -> dict[str, Any] | None:
    """One bot event for the desk (None for internal signals and empty events)."""
    data = event.get("data") or {}
    custom = data.get("custom")
    if isinstance(custom, dict) and custom.get("type") in INTERNAL_TYPES:
        return None
    metadata = event.get("metadata") or {}
    text = str(event.get("text") or "")
    buttons = _buttons(data.get("buttons"))
    service_id = _service_id(custom)
    if not text and not buttons and not service_id:
        return None
    locale = normalise_code(metadata.get("language")) or citizen_language
    italian = None
    if locale != ITALIAN:
        italian = italian_version(metadata, italian_card, municipality)
        if italian is not None:
            by_payload = {b["payload"]: b["title"] for b in italian.pop("buttons")}
            for button in buttons:
                button["italian"] = by_payload.get(button["payload"], "")
    return {
        "role": "bot",
        "citizen": _side(locale, text, buttons),
        "italian": italian,
        "service_id": service_id,
        "card": bool(service_id) and metadata.get("utter_action") == CARD_RESPONSE,
    }


def _desk_line(text: str, offered: Mapping[str, str]) -> dict[str, Any] | None:
    """What the desk typed (or the title of the button it pressed); None for commands."""
    if text.startswith("/"):
        title = offered.get(text)
        return {"role": "desk", "segments": [{"text": title}]} if title else None
    return {"role": "desk", "segments": segments(text)} if text.strip() else None


def transcript(
    events: Sequence[Mapping[str, Any]],
    citizen_language: str,
    italian_card: CardLoader,
    municipality: str,
    *,
    latest_turn_only: bool = False,
) -> list[dict[str, Any]]:
    """Desk messages from tracker events: the whole conversation, or only the latest turn.

    A conversation nobody has written in yet has nothing to show: Rasa's tracker endpoint
    runs the session start of an unknown conversation (its privacy notice, in the default
    language) on the copy it returns, without saving it.
    """
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    if not users:
        return []
    start = users[-1] if latest_turn_only else max(0, len(events) - HISTORY_LIMIT)
    offered: dict[str, str] = {}
    lines: list[dict[str, Any]] = []
    for event in events[start:]:
        kind = event.get("event")
        if kind == "user" and not latest_turn_only:
            line = _desk_line(str(event.get("text") or ""), offered)
            if line:
                lines.append(line)
            offered = {}
        elif kind == "bot":
            message = bot_message(event, citizen_language, italian_card, municipality)
            if message:
                offered.update({b["payload"]: b["title"] for b in message["citizen"]["buttons"]})
                lines.append(message)
    return lines
