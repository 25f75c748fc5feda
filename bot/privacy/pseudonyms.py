"""Pseudonymous sender ids: a keyed hash of a channel's user id, never the id itself."""

from __future__ import annotations

import hashlib
import hmac


def pseudonym(key: str, channel: str, raw_id: str | int) -> str:
    """A stable sender id for `raw_id` on `channel`; without the key it cannot be reversed."""
    digest = hmac.new(key.encode(), f"{channel}:{raw_id}".encode(), hashlib.sha256).hexdigest()
    return f"{channel}-{digest[:32]}"
