"""Creating, editing, archiving and restoring locations (optimistic locking, audit)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.admin import audit, locking
from bot.admin.forms import Errors, FormReader
from bot.catalogue.models import Location, Organization, Service, ServiceAtLocation

FIELDS = (
    "name",
    "organization_id",
    "address_1",
    "postal_code",
    "city",
    "state_province",
    "country",
    "latitude",
    "longitude",
    "transportation",
    "description",
    "status",
)


class LocationInUseError(ValueError):
    """A location still used by active services cannot be archived."""

    def __init__(self, services: list[Service]) -> None:
        super().__init__("location in use")
        self.services = services


def snapshot(location: Location) -> dict[str, Any]:
    """The editable state of a location."""
    return {name: getattr(location, name) for name in FIELDS}


def read_location_form(
    form: Any, session: Session, allowed_organizations: set[str] | None
) -> tuple[dict[str, Any], Errors]:
    """Validated values; `allowed_organizations` None means any (admins), else editors' own."""
    reader = FormReader(form)
    organizations = set(session.scalars(select(Organization.id)))
    if allowed_organizations is not None:
        organizations &= allowed_organizations
    values: dict[str, Any] = {
        "name": reader.text("name", required=True, max_length=255),
        "organization_id": reader.choice(
            "organization_id", organizations, required=allowed_organizations is not None
        ),
        "address_1": reader.text("address_1", required=True, max_length=255),
        "postal_code": reader.text("postal_code", max_length=20),
        "city": reader.text("city", required=True, max_length=120),
        "state_province": reader.text("state_province", max_length=120),
        "country": (reader.text("country", max_length=2) or "IT").upper(),
        "latitude": reader.number("latitude", -90, 90),
        "longitude": reader.number("longitude", -180, 180),
        "transportation": reader.text("transportation", max_length=2000),
        "description": reader.text("description", max_length=2000),
    }
    if (values["latitude"] is None) != (values["longitude"] is None):
        missing = "latitude" if values["latitude"] is None else "longitude"
        reader.errors.setdefault(missing, "required")
    if len(values["country"]) != 2 or not values["country"].isalpha():
        reader.errors.setdefault("country", "invalid_code")
    return values, reader.errors


def create_location(session: Session, values: dict[str, Any], actor: str) -> Location:
    """Add a location; recorded in the audit log."""
    location = Location(status="active", **values)
    session.add(location)
    session.flush()
    audit.record(
        session, actor, "create", "location", location.id, audit.diff({}, snapshot(location))
    )
    return location


def update_location(
    session: Session,
    location: Location,
    values: dict[str, Any],
    expected_version: int | None,
    actor: str,
) -> bool:
    """Save the form unless the location changed since it was opened; False if no change."""
    locking.check_version(location, expected_version, snapshot)
    before = snapshot(location)
    for name, value in values.items():
        setattr(location, name, value)
    changes = audit.diff(before, snapshot(location))
    if not changes:
        session.rollback()
        return False
    locking.flush_or_conflict(session, location, snapshot)
    audit.record(session, actor, "update", "location", location.id, changes)
    return True


def services_at(session: Session, location: Location, active_only: bool = True) -> list[Service]:
    """Services delivered at a location."""
    query = (
        select(Service)
        .join(ServiceAtLocation, ServiceAtLocation.service_id == Service.id)
        .where(ServiceAtLocation.location_id == location.id)
        .order_by(Service.name)
    )
    if active_only:
        query = query.where(Service.status == "active")
    return list(session.scalars(query))


def set_location_status(
    session: Session,
    location: Location,
    status: str,
    expected_version: int | None,
    actor: str,
) -> None:
    """Archive (only when no active service is delivered there) or restore a location."""
    locking.check_version(location, expected_version, snapshot)
    before = location.status
    if before == status:
        return
    if status == "inactive":
        in_use = services_at(session, location)
        if in_use:
            raise LocationInUseError(in_use)
    location.status = status
    locking.flush_or_conflict(session, location, snapshot)
    action = "archive" if status == "inactive" else "restore"
    audit.record(
        session,
        actor,
        action,
        "location",
        location.id,
        {"status": {"before": before, "after": status}},
    )
