"""One chat turn for the web channels: guard the text, ask the engine, shape the reply."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette

from bot.channels.gateway import ConversationGateway
from bot.channels.payload_guard import OfferedPayloads, guard_user_text
from bot.settings import Settings
from bot.widget.conversation_ids import ConversationSigner
from bot.widget.rich_text import Segment, neutralise_bidi, segments


class EmptyMessageError(ValueError):
    """Nothing is left to send once the text is guarded."""


class WebChat:
    """Shared by the public widget and the desk: the gateway plus per-sender offered buttons."""

    def __init__(self, settings: Settings, gateway: ConversationGateway) -> None:
        self.settings = settings
        self.gateway = gateway
        self.offered = OfferedPayloads()
        self.signer = ConversationSigner(settings.secret_key)

    async def turn(
        self, sender_id: str, text: str, *, channel: str, language: str
    ) -> list[dict[str, Any]]:
        """Send what the person typed or tapped; return the engine's messages (raw)."""
        guarded = guard_user_text(text, self.offered.for_sender(sender_id))
        if not guarded:
            raise EmptyMessageError("text")
        messages = await self.gateway.handle(
            sender_id, guarded, {"channel": channel, "language": language}
        )
        self.offered.remember_reply(sender_id, messages)
        return messages

    async def command(
        self, sender_id: str, payload: str, *, channel: str, language: str
    ) -> list[dict[str, Any]]:
        """Send a payload the server itself decided on (never text from a client)."""
        messages = await self.gateway.handle(
            sender_id, payload, {"channel": channel, "language": language}
        )
        self.offered.remember_reply(sender_id, messages)
        return messages


def web_chat(app: Starlette) -> WebChat:
    """The app's WebChat, created on first use from the app's settings and engine client."""
    chat: WebChat | None = getattr(app.state, "web_chat", None)
    if chat is None:
        settings: Settings = app.state.settings
        chat = WebChat(settings, ConversationGateway(settings, app.state.engine))
        app.state.web_chat = chat
    return chat


def service_of(message: dict[str, Any]) -> dict[str, Any] | None:
    """The service payload of a message, when it marks a service card."""
    custom = message.get("custom")
    if isinstance(custom, dict) and custom.get("type") == "service" and custom.get("id"):
        return custom
    return None


def client_message(message: dict[str, Any]) -> dict[str, Any] | None:
    """A bot message as the browser renders it (text segments, buttons), or None if empty."""
    shaped: dict[str, Any] = {}
    text = message.get("text")
    if isinstance(text, str) and text:
        parts: list[Segment] = segments(text)
        shaped["segments"] = parts
    buttons = [
        {"title": neutralise_bidi(str(b.get("title", ""))), "payload": str(b["payload"])}
        for b in message.get("buttons") or []
        if isinstance(b, dict) and isinstance(b.get("payload"), str)
    ]
    if buttons:
        shaped["buttons"] = buttons
    service = service_of(message)
    if service:
        shaped["service_id"] = str(service["id"])
    return shaped or None


def client_messages(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every non-empty bot message shaped for the browser."""
    return [shaped for m in messages if (shaped := client_message(m)) is not None]
