"""Opening hours of a service: weekly slots (lunch breaks = two slots), exceptions, closures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from bot.admin import audit
from bot.admin.forms import Errors, FormReader, row_field
from bot.admin.service_editing import check_version, flush_or_conflict, touch
from bot.catalogue.models import Schedule, ScheduleKind, Service

GROUPS: dict[str, ScheduleKind] = {
    "weekly": ScheduleKind.WEEKLY,
    "exception": ScheduleKind.EXCEPTION,
    "closure": ScheduleKind.CLOSURE,
}
ROW_FIELDS = (
    "weekday",
    "opens_at",
    "closes_at",
    "valid_from",
    "valid_to",
    "appointment_only",
    "description",
)
WEEKDAYS = tuple(str(day) for day in range(7))


@dataclass
class HoursInput:
    """Validated rows of the hours form, per group, plus the service version it was opened on."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    version: int | None = None


def _read_row(reader: FormReader, group: str, index: int, raw: dict[str, str]) -> dict[str, Any]:
    def name(field_name: str) -> str:
        return row_field(group, index, field_name)

    row: dict[str, Any] = {"id": raw["id"], "kind": GROUPS[group], "index": index}
    weekday = reader.choice(name("weekday"), list(WEEKDAYS), required=group == "weekly")
    row["weekday"] = int(weekday) if weekday in WEEKDAYS else None
    needs_hours = group == "weekly"
    row["opens_at"] = reader.time(name("opens_at"), required=needs_hours)
    row["closes_at"] = reader.time(name("closes_at"), required=needs_hours)
    if group == "exception" and (row["opens_at"] is None) != (row["closes_at"] is None):
        missing = "opens_at" if row["opens_at"] is None else "closes_at"
        if name(missing) not in reader.errors:
            reader.errors[name(missing)] = "required"
    if row["opens_at"] and row["closes_at"] and row["closes_at"] <= row["opens_at"]:
        reader.errors[name("closes_at")] = "closes_before_opens"
    row["valid_from"] = reader.date(name("valid_from"), required=group != "weekly")
    row["valid_to"] = reader.date(name("valid_to"))
    if row["valid_from"] and row["valid_to"] and row["valid_to"] < row["valid_from"]:
        reader.errors[name("valid_to")] = "end_before_start"
    if group == "exception" and row["valid_from"] and row["valid_to"] is None:
        row["valid_to"] = row["valid_from"]  # an exception without an end is one day
    row["appointment_only"] = reader.flag(name("appointment_only")) and group != "closure"
    row["description"] = reader.text(name("description"), max_length=500)
    if group == "closure":
        row["weekday"] = row["opens_at"] = row["closes_at"] = None
    return row


def _ranges_meet(a: dict[str, Any], b: dict[str, Any]) -> bool:
    start_a, end_a = a["valid_from"] or dt.date.min, a["valid_to"] or dt.date.max
    start_b, end_b = b["valid_from"] or dt.date.min, b["valid_to"] or dt.date.max
    return start_a <= end_b and start_b <= end_a


def _check_overlaps(rows: list[dict[str, Any]], errors: Errors) -> None:
    """Two weekly slots of the same day (and validity) may not overlap: a lunch break is a gap."""
    for position, row in enumerate(rows):
        for earlier in rows[:position]:
            if (
                row["weekday"] is not None
                and row["weekday"] == earlier["weekday"]
                and row["opens_at"]
                and row["closes_at"]
                and earlier["opens_at"]
                and earlier["closes_at"]
                and row["opens_at"] < earlier["closes_at"]
                and earlier["opens_at"] < row["closes_at"]
                and _ranges_meet(row, earlier)
            ):
                errors.setdefault(row_field("weekly", row["index"], "opens_at"), "overlaps")


def read_hours_form(form: Any) -> tuple[HoursInput, Errors]:
    """Every non-empty row of the three groups, validated field by field."""
    reader = FormReader(form)
    data = HoursInput()
    for group in GROUPS:
        data.rows[group] = [
            _read_row(reader, group, index, raw)
            for index, raw in reader.rows(group, (*ROW_FIELDS[:-2], "description"))
        ]
    _check_overlaps(data.rows["weekly"], reader.errors)
    version = reader.raw("version")
    data.version = int(version) if version.isdigit() else None
    return data, reader.errors


def _describe(schedule: Schedule) -> str:
    parts = [str(schedule.kind)]
    if schedule.weekday is not None:
        parts.append(f"day {schedule.weekday}")
    if schedule.opens_at and schedule.closes_at:
        parts.append(f"{schedule.opens_at:%H:%M}-{schedule.closes_at:%H:%M}")
    if schedule.valid_from or schedule.valid_to:
        parts.append(f"{schedule.valid_from or ''}..{schedule.valid_to or ''}")
    if schedule.appointment_only:
        parts.append("appointment")
    if schedule.description:
        parts.append(schedule.description)
    return " ".join(parts)


def hours_snapshot(service: Service) -> list[str]:
    """The opening rules of a service as short, sortable lines (for the audit log)."""
    return sorted(_describe(schedule) for schedule in service.schedules)


def grouped(service: Service) -> dict[str, list[Schedule]]:
    """The service's schedules per group, weekly slots in day and time order."""
    groups: dict[str, list[Schedule]] = {group: [] for group in GROUPS}
    for schedule in service.schedules:
        groups[str(schedule.kind)].append(schedule)
    groups["weekly"].sort(key=lambda s: (s.weekday or 0, s.opens_at or dt.time.min))
    groups["exception"].sort(key=lambda s: s.valid_from or dt.date.min)
    groups["closure"].sort(key=lambda s: s.valid_from or dt.date.min)
    return groups


def save_hours(session: Session, service: Service, data: HoursInput, actor: str) -> bool:
    """Replace the service's opening rules with the form's; False when nothing changed."""
    check_version(service, data.version)
    before = hours_snapshot(service)
    existing = {schedule.id: schedule for schedule in service.schedules}
    kept: list[Schedule] = []
    for group_rows in data.rows.values():
        for row in group_rows:
            schedule = existing.get(row["id"]) or Schedule()
            for name in ("kind", *ROW_FIELDS):
                setattr(schedule, name, row[name])
            kept.append(schedule)
    service.schedules = kept
    after = hours_snapshot(service)
    if before == after:
        session.rollback()
        return False
    touch(service)
    flush_or_conflict(session, service)
    audit.record(
        session,
        actor,
        "update_hours",
        "service",
        service.id,
        audit.diff({"hours": before}, {"hours": after}),
    )
    return True
