"""Creating, editing, archiving and restoring organisations (optimistic locking, audit)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.admin import audit, locking
from bot.admin.forms import Errors, FormReader
from bot.admin.service_editing import set_status as set_service_status
from bot.catalogue.models import Organization, Service

FIELDS = ("name", "description", "email", "website", "status")


def snapshot(organization: Organization) -> dict[str, Any]:
    """The editable state of an organisation."""
    return {name: getattr(organization, name) for name in FIELDS}


def read_organization_form(form: Any) -> tuple[dict[str, Any], Errors]:
    """Validated values of the organisation form."""
    reader = FormReader(form)
    values = {
        "name": reader.text("name", required=True, max_length=255),
        "description": reader.text("description", max_length=5000) or "",
        "email": reader.email("email"),
        "website": reader.url("website"),
    }
    return values, reader.errors


def create_organization(session: Session, values: dict[str, Any], actor: str) -> Organization:
    """Add an organisation; recorded in the audit log."""
    organization = Organization(status="active", **values)
    session.add(organization)
    session.flush()
    audit.record(
        session,
        actor,
        "create",
        "organization",
        organization.id,
        audit.diff({}, snapshot(organization)),
    )
    return organization


def update_organization(
    session: Session,
    organization: Organization,
    values: dict[str, Any],
    expected_version: int | None,
    actor: str,
) -> bool:
    """Save the form unless the organisation changed since it was opened; False if no change."""
    locking.check_version(organization, expected_version, snapshot)
    before = snapshot(organization)
    for name, value in values.items():
        setattr(organization, name, value)
    changes = audit.diff(before, snapshot(organization))
    if not changes:
        session.rollback()
        return False
    locking.flush_or_conflict(session, organization, snapshot)
    audit.record(session, actor, "update", "organization", organization.id, changes)
    return True


def set_organization_status(
    session: Session,
    organization: Organization,
    status: str,
    expected_version: int | None,
    actor: str,
) -> list[str]:
    """Archive (with every active service of it) or restore an organisation.

    Returns the ids of the services archived along with it (restoring leaves services as they
    are: each one is restored on its own page).
    """
    locking.check_version(organization, expected_version, snapshot)
    before = organization.status
    if before == status:
        return []
    organization.status = status
    locking.flush_or_conflict(session, organization, snapshot)
    archived: list[str] = []
    if status == "inactive":
        services = session.scalars(
            select(Service)
            .where(Service.organization_id == organization.id)
            .where(Service.status == "active")
        )
        for service in services:
            set_service_status(session, service, "inactive", None, actor)
            archived.append(service.id)
    action = "archive" if status == "inactive" else "restore"
    changes: audit.Changes = {"status": {"before": before, "after": status}}
    if archived:
        changes["archived_services"] = {"before": None, "after": sorted(archived)}
    audit.record(session, actor, action, "organization", organization.id, changes)
    return archived
