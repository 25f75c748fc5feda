"""Validate a whole HSDS package first, then write it in one transaction (or not at all)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.catalogue.hsds.package import PackageFormatError, RawRow, read_rows
from bot.catalogue.hsds.tables import BY_NAME, WEEKDAYS, Field
from bot.catalogue.models import (
    Contact,
    CostOption,
    Location,
    Organization,
    Phone,
    RequiredDocument,
    Schedule,
    ScheduleKind,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCategory,
    ServiceLanguage,
    TaxonomyTerm,
    Translation,
    TranslationStatus,
)

_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


@dataclass(frozen=True)
class ImportProblem:
    """One validation error: where it is and what is wrong."""

    source: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.source} row {self.line}, field '{self.field}': {self.message}"


class ImportRejectedError(ValueError):
    """The package has errors; nothing was written."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s); nothing was imported")


@dataclass
class ImportReport:
    """What a valid package contains (and, after writing, what was written)."""

    counts: dict[str, int] = field(default_factory=dict)
    written: bool = False


def _convert(spec: Field, raw: Any) -> Any:
    """Convert one value to the field's type; raise ValueError with a readable reason."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        if spec.required:
            raise ValueError("is required")
        return None
    text = str(raw).strip()
    if spec.type == "integer":
        if isinstance(raw, bool) or not text.lstrip("-").isdigit():
            raise ValueError(f"'{text}' is not a whole number")
        return int(text)
    if spec.type == "number":
        try:
            return float(Decimal(text))
        except InvalidOperation:
            raise ValueError(f"'{text}' is not a number") from None
    if spec.type == "boolean":
        if isinstance(raw, bool):
            return raw
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise ValueError(f"'{text}' is not true/false")
    if spec.type == "date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"'{text}' is not a date (YYYY-MM-DD)") from None
    if spec.type == "time":
        try:
            return dt.time.fromisoformat(text)
        except ValueError:
            raise ValueError(f"'{text}' is not a time (HH:MM)") from None
    if spec.type == "enum" and text not in spec.choices:
        raise ValueError(f"'{text}' is not one of {', '.join(spec.choices)}")
    return text


def validate(
    rows: Iterable[RawRow], session: Session
) -> tuple[dict[str, list[dict[str, Any]]], list[ImportProblem]]:
    """Typed rows per table and every problem found (types, required, references, duplicates)."""
    typed: dict[str, list[dict[str, Any]]] = defaultdict(list)
    problems: list[ImportProblem] = []
    origins: dict[tuple[str, int], RawRow] = {}
    for raw in rows:
        table = BY_NAME[raw.table]
        values: dict[str, Any] = {}
        for spec in table.fields:
            try:
                values[spec.name] = _convert(spec, raw.values.get(spec.name))
            except ValueError as error:
                problems.append(ImportProblem(raw.source, raw.line, spec.name, str(error)))
        origins[(raw.table, len(typed[raw.table]))] = raw
        typed[raw.table].append(values)
    known_ids: dict[str, set[str]] = {
        name: {row["id"] for row in typed.get(name, []) if row.get("id")} for name in BY_NAME
    }
    for model, name in (
        (Organization, "organization"),
        (Location, "location"),
        (Service, "service"),
        (TaxonomyTerm, "taxonomy_term"),
    ):
        known_ids[name] |= set(session.scalars(select(model.id)))
    for name, table_rows in typed.items():
        seen: set[str] = set()
        for index, row in enumerate(table_rows):
            raw = origins[(name, index)]
            if row.get("id"):
                if row["id"] in seen:
                    problems.append(
                        ImportProblem(raw.source, raw.line, "id", f"duplicate id '{row['id']}'")
                    )
                seen.add(row["id"])
            for spec in BY_NAME[name].fields:
                target = row.get(spec.name)
                if spec.references and target and target not in known_ids[spec.references]:
                    problems.append(
                        ImportProblem(
                            raw.source,
                            raw.line,
                            spec.name,
                            f"no {spec.references} with id '{target}'",
                        )
                    )
            problems.extend(_row_rules(name, row, raw))
    return typed, problems


def _row_rules(table: str, row: dict[str, Any], raw: RawRow) -> list[ImportProblem]:
    found = []
    if table == "schedule":
        kind = row.get("x_kind") or "weekly"
        if kind == "weekly" and not row.get("byday"):
            found.append(ImportProblem(raw.source, raw.line, "byday", "a weekly slot needs byday"))
        if kind == "weekly" and not (row.get("opens_at") and row.get("closes_at")):
            found.append(
                ImportProblem(
                    raw.source, raw.line, "opens_at", "a weekly slot needs opens_at and closes_at"
                )
            )
        if row.get("opens_at") and row.get("closes_at") and row["closes_at"] <= row["opens_at"]:
            found.append(
                ImportProblem(raw.source, raw.line, "closes_at", "closes_at must be after opens_at")
            )
        if kind != "weekly" and not row.get("valid_from"):
            found.append(
                ImportProblem(raw.source, raw.line, "valid_from", f"a {kind} needs valid_from")
            )
    if table == "location":
        for name, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
            value = row.get(name)
            if value is not None and not low <= value <= high:
                found.append(ImportProblem(raw.source, raw.line, name, f"{value} is out of range"))
    return found


def import_package(path: Path, session: Session, *, dry_run: bool = False) -> ImportReport:
    """Validate everything; raise ImportRejectedError with every problem, or write it all."""
    try:
        raw_rows = list(read_rows(path))
    except PackageFormatError as error:
        raise ImportRejectedError([ImportProblem(path.name, 0, "-", str(error))]) from error
    typed, problems = validate(raw_rows, session)
    if problems:
        raise ImportRejectedError(problems)
    report = ImportReport(counts={name: len(rows) for name, rows in typed.items()})
    if not dry_run:
        _write(session, typed)
        report.written = True
    return report


def _upsert(session: Session, model: type[Any], values: dict[str, Any]) -> Any:
    instance = session.get(model, values["id"]) or model(id=values["id"])
    for key, value in values.items():
        setattr(instance, key, value)
    session.add(instance)
    return instance


def _write(session: Session, rows: dict[str, list[dict[str, Any]]]) -> None:
    for row in rows.get("organization", []):
        _upsert(session, Organization, {**row, "description": row.get("description") or ""})
    for row in rows.get("taxonomy_term", []):
        _upsert(
            session, TaxonomyTerm, {**row, "taxonomy": row.get("taxonomy") or "migrant-services"}
        )
    addresses = {row["location_id"]: row for row in rows.get("address", [])}
    for row in rows.get("location", []):
        address = addresses.get(row["id"], {})
        _upsert(
            session,
            Location,
            {
                **row,
                "address_1": address.get("address_1") or "",
                "city": address.get("city") or "",
                "postal_code": address.get("postal_code"),
                "state_province": address.get("state_province"),
                "country": address.get("country") or "IT",
            },
        )
    session.flush()
    service_ids = [row["id"] for row in rows.get("service", [])]
    for row in rows.get("service", []):
        _upsert(
            session,
            Service,
            {
                "id": row["id"],
                "organization_id": row["organization_id"],
                "name": row["name"],
                "alternate_name": row.get("alternate_name"),
                "description": row.get("description") or "",
                "url": row.get("url"),
                "email": row.get("email"),
                "status": row["status"],
                "application_process": row.get("application_process"),
                "fees_description": row.get("fees_description"),
                "eligibility_description": row.get("eligibility_description"),
                "verified_on": row.get("assured_date"),
                "owner": row.get("x_owner"),
                "review_interval_days": row.get("x_review_interval_days") or 180,
                "open_on_holidays": bool(row.get("x_open_on_holidays")),
            },
        )
    session.flush()
    # children of imported services are replaced by the package's
    for child in (
        ServiceAtLocation,
        Phone,
        Contact,
        Schedule,
        ServiceLanguage,
        RequiredDocument,
        CostOption,
        ServiceArea,
        ServiceCategory,
    ):
        session.execute(delete(child).where(child.service_id.in_(service_ids)))
    session.expire_all()
    for row in rows.get("service_at_location", []):
        session.add(ServiceAtLocation(**row))
    for row in rows.get("phone", []):
        session.add(Phone(**{**row, "type": row.get("type") or "voice"}))
    for row in rows.get("contact", []):
        session.add(Contact(**row))
    for row in rows.get("schedule", []):
        session.add(
            Schedule(
                id=row["id"],
                service_id=row["service_id"],
                kind=ScheduleKind(row.get("x_kind") or "weekly"),
                weekday=WEEKDAYS.index(row["byday"]) if row.get("byday") else None,
                opens_at=row.get("opens_at"),
                closes_at=row.get("closes_at"),
                valid_from=row.get("valid_from"),
                valid_to=row.get("valid_to"),
                description=row.get("description"),
                appointment_only=bool(row.get("x_appointment_only")),
            )
        )
    for row in rows.get("language", []):
        session.add(
            ServiceLanguage(
                id=row["id"], service_id=row["service_id"], code=row["code"], note=row.get("note")
            )
        )
    for row in rows.get("required_document", []):
        session.add(
            RequiredDocument(
                id=row["id"],
                service_id=row["service_id"],
                document=row["document"],
                position=row.get("x_position") or 0,
            )
        )
    for row in rows.get("cost_option", []):
        session.add(CostOption(**{**row, "currency": row.get("currency") or "EUR"}))
    for row in rows.get("service_area", []):
        session.add(ServiceArea(**row))
    for row in rows.get("attribute", []):
        session.add(
            ServiceCategory(
                id=row["id"], service_id=row["link_id"], taxonomy_term_id=row["taxonomy_term_id"]
            )
        )
    session.flush()
    existing = {
        (t.entity, t.record_id, t.field, t.locale): t for t in session.scalars(select(Translation))
    }
    for row in rows.get("x_translation", []):
        key = (row["entity"], row["record_id"], row["field"], row["locale"])
        translation = existing.get(key) or Translation(
            entity=row["entity"],
            record_id=row["record_id"],
            field=row["field"],
            locale=row["locale"],
        )
        translation.text = row["text"]
        translation.status = TranslationStatus(row["status"])
        translation.source_version = row.get("source_version") or ""
        session.add(translation)
    session.flush()
