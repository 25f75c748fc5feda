"""Read a size-limited JSON body and validate fields, with errors that name the field."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from bot.i18n.languages import normalise_code

MAX_BODY_BYTES = 8192
MAX_TEXT_CHARS = 1000


class BadRequestError(ValueError):
    """A request the API refuses: which field, and why (HTTP status included)."""

    def __init__(self, field: str, problem: str, status: int = 400) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem
        self.status = status

    def response(self) -> JSONResponse:
        """The JSON error answer."""
        return JSONResponse({"error": self.problem, "field": self.field}, status_code=self.status)


async def json_body(request: Request, max_bytes: int = MAX_BODY_BYTES) -> dict[str, Any]:
    """The JSON object of the body, refused when too large, not JSON or not an object."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > max_bytes):
        raise BadRequestError("body", f"larger than {max_bytes} bytes", 413)
    raw = bytearray()
    async for chunk in request.stream():
        raw.extend(chunk)
        if len(raw) > max_bytes:
            raise BadRequestError("body", f"larger than {max_bytes} bytes", 413)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as error:  # bad UTF-8 or JSON, too deep, huge numbers
        raise BadRequestError("body", "not valid JSON") from error
    if not isinstance(data, dict):
        raise BadRequestError("body", "must be a JSON object")
    try:  # "\ud800" escapes decode to lone surrogates, which no later step can encode
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as error:
        raise BadRequestError("body", "not valid Unicode text (lone surrogate)") from error
    return data


def text_field(
    data: dict[str, Any], name: str, *, required: bool = True, max_chars: int = MAX_TEXT_CHARS
) -> str:
    """A non-empty string field of at most `max_chars` characters ('' when optional and absent)."""
    value = data.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise BadRequestError(name, "must be a string")
    if required and not value.strip():
        raise BadRequestError(name, "must not be empty")
    if len(value) > max_chars:
        raise BadRequestError(name, f"longer than {max_chars} characters")
    return value


def language_field(data: dict[str, Any], name: str = "language", default: str = "it") -> str:
    """A supported language code (absent: `default`)."""
    value = data.get(name)
    if value is None or value == "":
        return default
    code = normalise_code(value) if isinstance(value, str) else None
    if code is None:
        raise BadRequestError(name, "not a supported language")
    return code
