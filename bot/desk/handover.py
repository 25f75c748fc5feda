"""Hand-over to the person's phone: the Telegram deep link of a service and its QR code."""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno

from bot.channels.telegram.commands import deep_link
from bot.settings import Settings


@dataclass(frozen=True)
class HandoverLink:
    """The deep link of a service, or why there is none ("no_bot" or "unsuitable_id")."""

    url: str | None
    problem: str | None = None


def handover_link(settings: Settings, service_id: str) -> HandoverLink:
    """`https://t.me/<bot>?start=svc_<id>` when a bot username is configured and the id fits."""
    username = settings.telegram_bot_username.strip().lstrip("@")
    if not username:
        return HandoverLink(None, "no_bot")
    try:
        return HandoverLink(deep_link(username, service_id))
    except ValueError:
        return HandoverLink(None, "unsuitable_id")


def qr_svg(url: str) -> bytes:
    """A standalone SVG QR code of `url` (medium error correction, quiet zone kept)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        buffer, kind="svg", scale=6, border=4, dark="#000", light="#fff", title=url
    )
    return buffer.getvalue()
