"""Optimistic locking: a form carries the version it was opened on; a stale save is refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError


class Versioned(Protocol):
    """A record with a version counter that SQLAlchemy bumps on every UPDATE."""

    version: int


class EditConflictError(Exception):
    """Someone saved the record after this form was opened; nothing was written.

    `current` holds the record's saved state, to show next to the user's own input.
    """

    def __init__(self, current: dict[str, Any]) -> None:
        super().__init__("edit conflict")
        self.current = current


def check_version(
    record: Versioned, expected: int | None, snapshot: Callable[[Any], dict[str, Any]]
) -> None:
    """Raise EditConflictError when the form was opened on an older version of `record`."""
    if expected is not None and expected != record.version:
        raise EditConflictError(snapshot(record))


def flush_or_conflict(
    session: Session,
    record: Any,
    snapshot: Callable[[Any], dict[str, Any]],
) -> None:
    """Write pending changes; a concurrent save (the UPDATE matched no row) is a conflict."""
    try:
        session.flush()
    except StaleDataError as error:
        session.rollback()
        fresh = session.get(type(record), record.id)
        raise EditConflictError(snapshot(fresh) if fresh is not None else {}) from error


def parse_version(raw: object) -> int | None:
    """The version a form was opened on, None when absent or not a number."""
    text = str(raw or "").strip()
    return int(text) if text.isdigit() else None


def conflict_rows(
    saved: dict[str, Any], mine: dict[str, Any] | None = None
) -> list[tuple[str, Any, Any]]:
    """(field, saved value, the user's value) for the conflict box.

    With the user's values, only the fields where the two versions differ (what the other
    person changed, or what this person is about to change); without them, every saved field.
    """
    if mine is None:
        return [(name, value, None) for name, value in saved.items()]
    return [
        (name, value, mine[name])
        for name, value in saved.items()
        if name in mine and _comparable(value) != _comparable(mine[name])
    ]


def _comparable(value: Any) -> Any:
    if isinstance(value, list | tuple | set):
        return sorted(str(item) for item in value)
    return "" if value is None else str(value)
