"""The audit log: who changed what, when, with field-level before/after values."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import DateTime, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.catalogue.models import Base

Changes = dict[str, dict[str, Any]]  # field -> {"before": ..., "after": ...}
ACTIONS = (
    "create",
    "update",
    "update_hours",
    "archive",
    "restore",
    "delete",
    "verify",
    "translate",
    "import",
)


class AuditEntry(Base):
    """One recorded change of one record."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(30))
    entity: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(128), index=True)
    changes: Mapped[str] = mapped_column(Text, default="{}")

    @property
    def change_map(self) -> Changes:
        """The stored before/after values, decoded."""
        decoded: Changes = json.loads(self.changes or "{}")
        return decoded


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in (sorted(value, key=str) if isinstance(value, set) else value)]
    return str(value)


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> Changes:
    """Field-level changes between two snapshots (fields whose values differ)."""
    changes: Changes = {}
    for field in dict.fromkeys([*before, *after]):
        old, new = _plain(before.get(field)), _plain(after.get(field))
        if old != new:
            changes[field] = {"before": old, "after": new}
    return changes


def record(
    session: Session,
    actor: str,
    action: str,
    entity: str,
    record_id: str,
    changes: Changes | None = None,
) -> AuditEntry:
    """Add an audit entry to the current transaction (it commits or rolls back with the change)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    entry = AuditEntry(
        actor=actor,
        action=action,
        entity=entity,
        record_id=record_id,
        changes=json.dumps(changes or {}, ensure_ascii=False, sort_keys=True),
        created_at=dt.datetime.now(dt.UTC),
    )
    session.add(entry)
    return entry


def recent(
    session: Session,
    entity: str | None = None,
    record_id: str | None = None,
    limit: int = 200,
    actor: str | None = None,
    offset: int = 0,
) -> list[AuditEntry]:
    """Newest entries first, optionally for one entity type, one record or one person."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit).offset(offset)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if record_id:
        query = query.where(AuditEntry.record_id == record_id)
    if actor:
        query = query.where(AuditEntry.actor == actor)
    return list(session.scalars(query))
