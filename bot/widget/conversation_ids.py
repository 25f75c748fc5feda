"""Conversation ids issued and signed by the server; the Rasa sender id is derived from them.

A client holds only an opaque signed token. The random id inside never leaves the server
in clear as a sender id: the sender id is a keyed pseudonym of it, so neither can be guessed
or chosen by a client.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer

from bot.privacy.pseudonyms import pseudonym

SALT = "cremona.widget.conversation"
CHANNELS = ("web", "desk")


class InvalidConversationError(ValueError):
    """The token was not issued by this server (or was altered)."""


@dataclass(frozen=True)
class Conversation:
    """A conversation a client may use: its channel and the random id the server drew."""

    channel: str
    raw_id: str

    def sender_id(self, pseudonym_key: str) -> str:
        """The pseudonymous Rasa sender id of this conversation."""
        return pseudonym(pseudonym_key, self.channel, self.raw_id)


class ConversationSigner:
    """Issue new signed conversation tokens and read them back."""

    def __init__(self, secret_key: str) -> None:
        self._serializer = URLSafeSerializer(secret_key, salt=SALT)

    def issue(self, channel: str) -> tuple[str, Conversation]:
        """A new conversation on `channel` and the token the client keeps."""
        if channel not in CHANNELS:
            raise ValueError(f"unknown channel {channel!r}")
        conversation = Conversation(channel, secrets.token_urlsafe(18))
        token = self._serializer.dumps({"ch": channel, "id": conversation.raw_id})
        return str(token), conversation

    def read(self, token: object, channel: str) -> Conversation:
        """The conversation of a token issued for `channel`; InvalidConversationError otherwise."""
        if not isinstance(token, str) or not token or len(token) > 200:
            raise InvalidConversationError("conversation")
        try:
            data = self._serializer.loads(token)
        except BadSignature as error:
            raise InvalidConversationError("conversation") from error
        if not isinstance(data, dict) or data.get("ch") != channel or not data.get("id"):
            raise InvalidConversationError("conversation")
        return Conversation(channel, str(data["id"]))
