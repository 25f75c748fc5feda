"""Creating, updating, archiving and deleting services, with optimistic locking and audit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.admin import audit, locking
from bot.admin.forms import Errors, FormReader, row_field
from bot.catalogue.models import (
    CostOption,
    Location,
    Organization,
    Phone,
    RequiredDocument,
    Service,
    ServiceAtLocation,
    ServiceCategory,
    ServiceLanguage,
    TaxonomyTerm,
    Translation,
)
from bot.i18n.languages import LANGUAGES

STATUSES = ("active", "inactive")  # HSDS service status; archived = inactive
PHONE_TYPES = ("voice", "cell", "text", "fax", "video")
LANGUAGE_CODES = tuple(language.code for language in LANGUAGES)
BLANK_ROWS = 2  # empty rows offered under each list (phones, documents, costs)
SCALAR_FIELDS = (
    "name",
    "alternate_name",
    "description",
    "organization_id",
    "status",
    "url",
    "email",
    "application_process",
    "fees_description",
    "eligibility_description",
    "owner",
    "review_interval_days",
    "open_on_holidays",
    "verified_on",
)


@dataclass
class ServiceInput:
    """Validated values of the service form."""

    values: dict[str, Any] = field(default_factory=dict)
    categories: list[str] = field(default_factory=list)
    location_ids: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    phones: list[dict[str, Any]] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    costs: list[dict[str, Any]] = field(default_factory=list)
    version: int | None = None


def _read_phones(reader: FormReader) -> list[dict[str, Any]]:
    phones = []
    for index, raw in reader.rows("phone", ("number", "description")):
        number = reader.text(row_field("phone", index, "number"), required=True, max_length=40)
        kind = reader.choice(row_field("phone", index, "type"), list(PHONE_TYPES), required=False)
        phones.append(
            {
                "id": raw["id"],
                "number": number,
                "type": kind or "voice",
                "description": reader.text(
                    row_field("phone", index, "description"), max_length=255
                ),
            }
        )
    return phones


def _read_documents(reader: FormReader) -> list[dict[str, Any]]:
    documents = []
    for index, raw in reader.rows("document", ("document",)):
        text = reader.text(row_field("document", index, "document"), required=True, max_length=500)
        documents.append({"id": raw["id"], "document": text})
    return documents


def _read_costs(reader: FormReader) -> list[dict[str, Any]]:
    costs = []
    for index, raw in reader.rows("cost", ("option", "amount")):
        amount = reader.number(row_field("cost", index, "amount"), 0, 100000)
        option = reader.text(row_field("cost", index, "option"), max_length=500)
        costs.append({"id": raw["id"], "option": option, "amount": amount})
    return costs


def read_service_form(form: Any, session: Session) -> tuple[ServiceInput, Errors]:
    """Validate the service form against the database's organisations, categories, locations."""
    reader = FormReader(form)
    organizations = set(
        session.scalars(select(Organization.id).where(Organization.status == "active"))
    )
    codes = set(session.scalars(select(TaxonomyTerm.code)))
    locations = set(session.scalars(select(Location.id)))
    values: dict[str, Any] = {
        "name": reader.text("name", required=True, max_length=255),
        "alternate_name": reader.text("alternate_name", max_length=255),
        "description": reader.text("description", required=True, max_length=5000) or "",
        "organization_id": reader.choice("organization_id", organizations),
        "url": reader.url("url"),
        "email": reader.email("email"),
        "application_process": reader.text("application_process", max_length=5000),
        "fees_description": reader.text("fees_description", max_length=2000),
        "eligibility_description": reader.text("eligibility_description", max_length=2000),
        "owner": reader.text("owner", max_length=255),
        "review_interval_days": reader.integer("review_interval_days", 7, 1095, default=180),
        "open_on_holidays": reader.flag("open_on_holidays"),
    }
    data = ServiceInput(
        values=values,
        categories=reader.choices("categories", codes),
        location_ids=reader.choices("location_ids", locations),
        languages=reader.choices("languages", set(LANGUAGE_CODES)),
        phones=_read_phones(reader),
        documents=_read_documents(reader),
        costs=_read_costs(reader),
    )
    if not data.categories:
        reader.errors["categories"] = "required"
    version = reader.raw("version")
    data.version = int(version) if version.isdigit() else None
    return data, reader.errors


def _amount(value: float | None) -> float | None:
    return float(value) if value is not None else None


def snapshot(service: Service) -> dict[str, Any]:
    """The editable state of a service, for the audit log and conflict display."""
    state: dict[str, Any] = {name: getattr(service, name) for name in SCALAR_FIELDS}
    state["categories"] = sorted(link.term.code for link in service.categories)
    state["location_ids"] = sorted(link.location_id for link in service.locations)
    state["languages"] = sorted(language.code for language in service.languages)
    state["phones"] = [f"{p.number} ({p.type})" for p in service.phones]
    state["documents"] = [
        d.document for d in sorted(service.required_documents, key=lambda d: d.position)
    ]
    state["costs"] = [
        f"{c.option or ''} {_amount(c.amount) if c.amount is not None else ''}".strip()
        for c in service.cost_options
    ]
    return state


def input_snapshot(data: ServiceInput) -> dict[str, Any]:
    """The submitted form in the shape of `snapshot`, to compare with the saved version."""
    state: dict[str, Any] = dict(data.values)
    state["categories"] = sorted(data.categories)
    state["location_ids"] = sorted(data.location_ids)
    state["languages"] = sorted(data.languages)
    state["phones"] = [f"{p['number']} ({p['type']})" for p in data.phones]
    state["documents"] = [d["document"] for d in data.documents]
    state["costs"] = [
        f"{c['option'] or ''} {_amount(c['amount']) if c['amount'] is not None else ''}".strip()
        for c in data.costs
    ]
    return state


def readable(state: dict[str, Any], session: Session) -> dict[str, Any]:
    """A snapshot with names instead of ids (organisation, places, categories) for people."""
    shown = dict(state)
    if shown.get("organization_id"):
        organization = session.get(Organization, shown["organization_id"])
        shown["organization_id"] = organization.name if organization else shown["organization_id"]
    if "location_ids" in shown:
        names = dict(session.execute(select(Location.id, Location.name)).all())
        shown["location_ids"] = sorted(names.get(i, i) for i in shown["location_ids"])
    if "categories" in shown:
        terms = dict(session.execute(select(TaxonomyTerm.code, TaxonomyTerm.name)).all())
        shown["categories"] = sorted(terms.get(c, c) for c in shown["categories"])
    return shown


def form_values(service: Service) -> dict[str, Any]:
    """The form as it opens for an existing service."""
    return {
        **{name: getattr(service, name) for name in SCALAR_FIELDS},
        "categories": sorted(link.term.code for link in service.categories),
        "location_ids": sorted(link.location_id for link in service.locations),
        "languages": sorted(language.code for language in service.languages),
        "phones": [
            {"id": p.id, "number": p.number, "type": p.type, "description": p.description}
            for p in service.phones
        ],
        "documents": [
            {"id": d.id, "document": d.document}
            for d in sorted(service.required_documents, key=lambda d: d.position)
        ],
        "costs": [
            {"id": c.id, "option": c.option, "amount": _amount(c.amount)}
            for c in service.cost_options
        ],
        "version": service.version,
    }


def input_values(data: ServiceInput) -> dict[str, Any]:
    """The form as the user sent it (shown again with the errors)."""
    return {
        **data.values,
        "categories": data.categories,
        "location_ids": data.location_ids,
        "languages": data.languages,
        "phones": data.phones,
        "documents": data.documents,
        "costs": data.costs,
        "version": data.version,
    }


def touch(service: Service) -> None:
    """Mark a service changed: its version goes up (optimistic lock) with the update time."""
    service.updated_at = dt.datetime.now(dt.UTC)


def check_version(service: Service, expected: int | None) -> None:
    """Raise EditConflictError when the form was opened on an older version."""
    locking.check_version(service, expected, snapshot)


def _sync_links(session: Session, service: Service, data: ServiceInput) -> None:
    terms = {t.code: t for t in session.scalars(select(TaxonomyTerm))}
    current_codes = {link.term.code: link for link in service.categories}
    for code, category in current_codes.items():
        if code not in data.categories:
            service.categories.remove(category)
    for code in data.categories:
        if code not in current_codes:
            service.categories.append(
                ServiceCategory(term=terms[code], taxonomy_term_id=terms[code].id)
            )
    current_locations = {link.location_id: link for link in service.locations}
    for location_id, place in current_locations.items():
        if location_id not in data.location_ids:
            service.locations.remove(place)
    for location_id in data.location_ids:
        if location_id not in current_locations:
            service.locations.append(ServiceAtLocation(location_id=location_id))
    current_languages = {language.code: language for language in service.languages}
    for code, language in current_languages.items():
        if code not in data.languages:
            service.languages.remove(language)
    for code in data.languages:
        if code not in current_languages:
            service.languages.append(ServiceLanguage(code=code))


def _drop_translations(session: Session, entity: str, record_ids: list[str]) -> None:
    if record_ids:
        session.execute(
            delete(Translation).where(
                Translation.entity == entity, Translation.record_id.in_(record_ids)
            )
        )


def _sync_details(session: Session, service: Service, data: ServiceInput) -> None:
    phones = {p.id: p for p in service.phones}
    kept = []
    for row in data.phones:
        phone = phones.get(row["id"]) or Phone()
        phone.number, phone.type, phone.description = row["number"], row["type"], row["description"]
        kept.append(phone)
    service.phones = kept
    documents = {d.id: d for d in service.required_documents}
    kept_documents = []
    for position, row in enumerate(data.documents):
        document = documents.get(row["id"]) or RequiredDocument()
        document.document, document.position = row["document"], position
        kept_documents.append(document)
    removed = [i for i in documents if i not in {d.id for d in kept_documents}]
    service.required_documents = kept_documents
    _drop_translations(session, "required_document", removed)
    costs = {c.id: c for c in service.cost_options}
    kept_costs = []
    for row in data.costs:
        cost = costs.get(row["id"]) or CostOption(currency="EUR")
        cost.option = row["option"]
        cost.amount = row["amount"]
        kept_costs.append(cost)
    removed = [i for i in costs if i not in {c.id for c in kept_costs}]
    service.cost_options = kept_costs
    _drop_translations(session, "cost_option", removed)


def _apply(session: Session, service: Service, data: ServiceInput) -> None:
    # one UPDATE per save (so the version goes up by one): no flush half-way through
    with session.no_autoflush:
        for name, value in data.values.items():
            setattr(service, name, value)
        _sync_links(session, service, data)
        _sync_details(session, service, data)
        touch(service)


def flush_or_conflict(session: Session, service: Service) -> None:
    """Write pending changes; a concurrent save (stale version) becomes EditConflictError."""
    locking.flush_or_conflict(session, service, snapshot)


def create_service(session: Session, data: ServiceInput, actor: str) -> Service:
    """Add a new service (verified today); recorded in the audit log."""
    service = Service(
        name=data.values["name"],
        organization_id=data.values["organization_id"],
        verified_on=dt.date.today(),
        status="active",
    )
    session.add(service)
    _apply(session, service, data)
    session.flush()
    audit.record(session, actor, "create", "service", service.id, audit.diff({}, snapshot(service)))
    return service


def update_service(session: Session, service: Service, data: ServiceInput, actor: str) -> bool:
    """Save the form over `service` unless it changed since the form was opened.

    Returns False when nothing differed. Raises EditConflictError on a concurrent save.
    """
    check_version(service, data.version)
    before = snapshot(service)
    _apply(session, service, data)
    with session.no_autoflush:
        changes = audit.diff(before, snapshot(service))
    if not changes:
        session.rollback()
        return False
    flush_or_conflict(session, service)
    audit.record(session, actor, "update", "service", service.id, changes)
    return True


def set_status(
    session: Session, service: Service, status: str, expected: int | None, actor: str
) -> None:
    """Archive (inactive) or restore (active) a service."""
    check_version(service, expected)
    before = service.status
    if before == status:
        return
    service.status = status
    touch(service)
    flush_or_conflict(session, service)
    action = "archive" if status == "inactive" else "restore"
    audit.record(
        session,
        actor,
        action,
        "service",
        service.id,
        {"status": {"before": before, "after": status}},
    )


def mark_verified(session: Session, service: Service, actor: str, today: dt.date) -> None:
    """Record that someone checked the entry today."""
    before = service.verified_on
    service.verified_on = today
    touch(service)
    flush_or_conflict(session, service)
    audit.record(
        session,
        actor,
        "verify",
        "service",
        service.id,
        {"verified_on": {"before": str(before) if before else None, "after": str(today)}},
    )


def delete_service(session: Session, service: Service, actor: str) -> None:
    """Delete a service with its translations; the audit log keeps its last state."""
    state = snapshot(service)
    _drop_translations(session, "service", [service.id])
    _drop_translations(session, "required_document", [d.id for d in service.required_documents])
    _drop_translations(session, "cost_option", [c.id for c in service.cost_options])
    session.delete(service)
    session.flush()
    audit.record(session, actor, "delete", "service", service.id, audit.diff(state, {}))
