"""The shared secrets between the app's processes, compared in constant time."""

from __future__ import annotations

import hmac

BEARER = "Bearer "


def tokens_match(expected: str, supplied: str) -> bool:
    """Whether `supplied` is the configured token (never true for an empty configuration)."""
    return bool(expected) and hmac.compare_digest(expected.encode(), supplied.encode())


def bearer_token(authorization: str) -> str:
    """The token of an `Authorization: Bearer <token>` header value, or ""."""
    return authorization[len(BEARER) :] if authorization.startswith(BEARER) else ""
