"""A simulated Telegram user: writes, taps buttons, shares places, and reads what the bot sent.

Everything goes through the emulator's client API, exactly as Telegram would deliver it:
the bot under test only ever sees Bot API updates.
"""

from __future__ import annotations

import html
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

TAGS = re.compile(r"<[^>]+>")


@dataclass
class BotMessage:
    """One message the bot sent to the chat, as the user sees it."""

    message_id: int
    body: dict[str, Any]

    @property
    def markup(self) -> str:
        """The HTML the bot sent ('' for venues)."""
        return str(self.body.get("text") or "")

    @property
    def text(self) -> str:
        """What the user reads: tags rendered away, entities decoded."""
        return html.unescape(TAGS.sub("", self.markup))

    @property
    def bold(self) -> list[str]:
        """The bold parts, as the user sees them."""
        return [html.unescape(part) for part in re.findall(r"<b>(.*?)</b>", self.markup, re.S)]

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(title, callback data) of the inline keyboard, row by row."""
        markup = self.body.get("reply_markup") or {}
        return [
            (button["text"], button.get("callback_data", ""))
            for row in markup.get("inline_keyboard", [])
            for button in row
        ]

    @property
    def venue(self) -> dict[str, Any] | None:
        """latitude, longitude, title, address of a venue or location message."""
        if "latitude" not in self.body:
            return None
        return {
            "latitude": float(self.body["latitude"]),
            "longitude": float(self.body["longitude"]),
            "title": self.body.get("title"),
            "address": self.body.get("address"),
        }


@dataclass
class TelegramUser:
    """One person in a private chat with the bot."""

    emulator_url: str
    token: str
    language_code: str = "it"
    first_name: str = "Amina"
    user_id: int = field(default_factory=lambda: random.randint(5_000_000_000, 7_999_999_999))
    username: str = field(default_factory=lambda: f"amina_{random.randint(1000, 9999)}")
    seen: list[BotMessage] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.http = httpx.Client(base_url=self.emulator_url, timeout=10)

    @property
    def chat(self) -> dict[str, Any]:
        """The private chat (its id is the user's id, as in Telegram)."""
        return {"id": self.user_id, "type": "private", "first_name": self.first_name}

    @property
    def sender(self) -> dict[str, Any]:
        """The `from` of the user's messages."""
        return {
            "id": self.user_id,
            "is_bot": False,
            "first_name": self.first_name,
            "username": self.username,
            "language_code": self.language_code,
        }

    def _post(self, path: str, **body: Any) -> None:
        payload = {"botToken": self.token, "date": int(time.time()), **body}
        response = self.http.post(path, json=payload)
        response.raise_for_status()

    def send(self, text: str) -> None:
        """Type a message (a leading /word is sent as a command, with its entity)."""
        body: dict[str, Any] = {"from": self.sender, "chat": self.chat, "text": text}
        if text.startswith("/"):
            length = len(text.split(" ", 1)[0])
            body["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
            self._post("/sendCommand", **body)
        else:
            self._post("/sendMessage", **body)

    def send_message(self, **content: Any) -> None:
        """Send any other kind of message (location, sticker, photo, voice ...)."""
        self._post("/sendMessage", **{"from": self.sender, "chat": self.chat, **content})

    def press(self, message: BotMessage, title: str | None = None, data: str | None = None) -> None:
        """Tap the button with `title` under `message` (or send raw callback data)."""
        if data is None:
            matches = [d for t, d in message.buttons if title is not None and title in t]
            assert matches, f"no button {title!r} in {message.buttons}"
            data = matches[0]
        bot_message = {
            "message_id": message.message_id,
            "date": int(time.time()),
            "chat": self.chat,
            "from": {"id": 666, "is_bot": True, "first_name": "Bot"},
            "text": message.text or "·",
        }
        self._post(
            "/sendCallback",
            **{"from": self.sender, "message": bot_message, "data": data},
        )

    def _unread(self) -> list[BotMessage]:
        response = self.http.post("/getUpdates", json={"token": self.token, "chatId": self.user_id})
        response.raise_for_status()
        items = response.json()["result"]
        return [BotMessage(item["messageId"], item["message"]) for item in items]

    def replies(
        self,
        until: Callable[[list[BotMessage]], bool] | None = None,
        timeout: float = 60.0,
        quiet: float = 1.5,
    ) -> list[BotMessage]:
        """The bot's next messages: wait until `until` holds (or something came), then until
        nothing more arrives for `quiet` seconds."""
        done = until or (lambda messages: bool(messages))
        got: list[BotMessage] = []
        deadline = time.monotonic() + timeout
        last = time.monotonic()
        while time.monotonic() < deadline:
            new = self._unread()
            if new:
                got.extend(new)
                last = time.monotonic()
            elif done(got) and time.monotonic() - last >= quiet:
                break
            time.sleep(0.15)
        else:
            raise AssertionError(
                f"the bot did not answer as expected within {timeout:.0f}s; got: "
                + repr([m.text or m.venue for m in got])
            )
        self.seen.extend(got)
        return got

    def silence(self, seconds: float = 3.0) -> None:
        """Assert that the bot sends nothing for `seconds`."""
        time.sleep(seconds)
        unexpected = self._unread()
        assert not unexpected, f"unexpected bot messages: {[m.text for m in unexpected]}"

    def say(self, text: str, **wait: Any) -> list[BotMessage]:
        """Send a message and return the bot's answer."""
        self.send(text)
        return self.replies(**wait)

    def close(self) -> None:
        """Close the HTTP client."""
        self.http.close()


def joined(messages: list[BotMessage]) -> str:
    """All texts of a reply, one per line."""
    return "\n".join(m.text for m in messages if m.text)


def with_button(messages: list[BotMessage], title: str) -> BotMessage:
    """The message carrying a button whose title contains `title`."""
    for message in messages:
        if any(title in t for t, _ in message.buttons):
            return message
    raise AssertionError(f"no button {title!r} in {[m.buttons for m in messages]}")
