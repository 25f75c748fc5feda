"""Reading and validating form fields; errors are codes rendered from admin.po (`error.<code>`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from starlette.datastructures import FormData

ERROR_CODES = (
    "required",
    "too_long",
    "invalid_email",
    "invalid_url",
    "not_a_number",
    "out_of_range",
    "invalid_date",
    "invalid_time",
    "closes_before_opens",
    "unknown_choice",
    "end_before_start",
    "duplicate",
    "overlaps",
    "invalid_code",
    "in_use",
    "password_too_short",
    "passwords_differ",
    "invalid_username",
    "own_account",
)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)

Errors = dict[str, str]


class FormReader:
    """Reads typed values from a form, collecting one error code per field."""

    def __init__(self, form: FormData | Mapping[str, Any]) -> None:
        self.form = form
        self.errors: Errors = {}

    def raw(self, name: str) -> str:
        """The submitted text (stripped), '' when absent."""
        value = self.form.get(name)
        return value.strip() if isinstance(value, str) else ""

    def text(self, name: str, required: bool = False, max_length: int = 255) -> str | None:
        """Text or None when empty; checks presence and length."""
        value = self.raw(name)
        if not value:
            if required:
                self.errors[name] = "required"
            return None
        if len(value) > max_length:
            self.errors[name] = "too_long"
        return value

    def email(self, name: str) -> str | None:
        """An e-mail address or None."""
        value = self.text(name)
        if value and not EMAIL.match(value):
            self.errors[name] = "invalid_email"
        return value

    def url(self, name: str) -> str | None:
        """An http(s) URL or None."""
        value = self.text(name, max_length=500)
        if value and not URL.match(value):
            self.errors[name] = "invalid_url"
        return value

    def integer(self, name: str, minimum: int, maximum: int, default: int | None = None) -> int:
        """A whole number within bounds."""
        value = self.raw(name)
        if not value and default is not None:
            return default
        try:
            number = int(value)
        except ValueError:
            self.errors[name] = "not_a_number" if value else "required"
            return default or minimum
        if not minimum <= number <= maximum:
            self.errors[name] = "out_of_range"
        return number

    def number(self, name: str, minimum: float, maximum: float) -> float | None:
        """A decimal number within bounds, or None when empty."""
        value = self.raw(name).replace(",", ".")
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            self.errors[name] = "not_a_number"
            return None
        if not minimum <= number <= maximum:
            self.errors[name] = "out_of_range"
        return number

    def date(self, name: str, required: bool = False) -> dt.date | None:
        """An ISO date (YYYY-MM-DD) or None."""
        value = self.raw(name)
        if not value:
            if required:
                self.errors[name] = "required"
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.errors[name] = "invalid_date"
            return None

    def time(self, name: str, required: bool = False) -> dt.time | None:
        """A time of day (HH:MM) or None."""
        value = self.raw(name)
        if not value:
            if required:
                self.errors[name] = "required"
            return None
        try:
            return dt.time.fromisoformat(value)
        except ValueError:
            self.errors[name] = "invalid_time"
            return None

    def flag(self, name: str) -> bool:
        """A checkbox."""
        return self.raw(name) in ("on", "true", "1", "yes")

    def choice(self, name: str, allowed: set[str] | list[str], required: bool = True) -> str | None:
        """One of `allowed`."""
        value = self.raw(name)
        if not value:
            if required:
                self.errors[name] = "required"
            return None
        if value not in allowed:
            self.errors[name] = "unknown_choice"
        return value

    def rows(self, prefix: str, fields: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
        """Rows of a repeated group (`prefix-<n>-<field>`) that are neither empty nor removed."""
        found = []
        for index in row_indexes(self.form, prefix):
            raw = {name: self.raw(row_field(prefix, index, name)) for name in ("id", *fields)}
            if self.flag(row_field(prefix, index, "remove")) or not any(raw[f] for f in fields):
                continue
            found.append((index, raw))
        return found

    def choices(self, name: str, allowed: set[str]) -> list[str]:
        """Several of `allowed` (multi-select or repeated checkboxes)."""
        getlist = getattr(self.form, "getlist", None)
        values = [v for v in (getlist(name) if getlist else [self.form.get(name)]) if v]
        picked = [str(v) for v in values]
        if any(v not in allowed for v in picked):
            self.errors[name] = "unknown_choice"
        return [v for v in dict.fromkeys(picked) if v in allowed]


ROW_KEY = re.compile(r"^(?P<prefix>[a-z_]+)-(?P<index>\d{1,3})-(?P<field>[a-z_]+)$")


def row_indexes(form: FormData | Mapping[str, Any], prefix: str) -> list[int]:
    """Indexes of the repeated rows `prefix-<n>-<field>` a form sent, in order."""
    found: set[int] = set()
    for key in form:
        match = ROW_KEY.match(str(key))
        if match and match["prefix"] == prefix:
            found.add(int(match["index"]))
    return sorted(found)


def row_field(prefix: str, index: int, name: str) -> str:
    """The form name of one field of a repeated row."""
    return f"{prefix}-{index}-{name}"
