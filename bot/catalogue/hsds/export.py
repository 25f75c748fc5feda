"""Read the whole catalogue into HSDS table rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.catalogue.hsds.tables import WEEKDAYS
from bot.catalogue.models import Location, Organization, TaxonomyTerm, Translation
from bot.catalogue.repository import CatalogueRepository

Rows = dict[str, list[dict[str, Any]]]


def _time(value: dt.time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def catalogue_rows(session: Session) -> Rows:
    """Every table of the catalogue as HSDS rows (JSON-ready values)."""
    rows: Rows = {
        name: []
        for name in (
            "organization",
            "taxonomy_term",
            "service",
            "location",
            "address",
            "service_at_location",
            "phone",
            "contact",
            "schedule",
            "language",
            "required_document",
            "cost_option",
            "service_area",
            "attribute",
            "x_translation",
        )
    }
    for org in session.scalars(select(Organization).order_by(Organization.id)):
        rows["organization"].append(
            {
                "id": org.id,
                "name": org.name,
                "description": org.description,
                "email": org.email,
                "website": org.website,
            }
        )
    for term in session.scalars(select(TaxonomyTerm).order_by(TaxonomyTerm.code)):
        rows["taxonomy_term"].append(
            {"id": term.id, "code": term.code, "name": term.name, "taxonomy": term.taxonomy}
        )
    for loc in session.scalars(select(Location).order_by(Location.id)):
        rows["location"].append(
            {
                "id": loc.id,
                "organization_id": loc.organization_id,
                "name": loc.name,
                "description": loc.description,
                "transportation": loc.transportation,
                "latitude": loc.latitude,
                "longitude": loc.longitude,
            }
        )
        rows["address"].append(
            {
                "id": f"{loc.id}-address",
                "location_id": loc.id,
                "address_1": loc.address_1,
                "city": loc.city,
                "postal_code": loc.postal_code,
                "state_province": loc.state_province,
                "country": loc.country,
                "address_type": "physical",
            }
        )
    services = sorted(CatalogueRepository(session).services(active_only=False), key=lambda s: s.id)
    for svc in services:
        rows["service"].append(
            {
                "id": svc.id,
                "organization_id": svc.organization_id,
                "name": svc.name,
                "alternate_name": svc.alternate_name,
                "description": svc.description,
                "url": svc.url,
                "email": svc.email,
                "status": svc.status,
                "application_process": svc.application_process,
                "fees_description": svc.fees_description,
                "eligibility_description": svc.eligibility_description,
                "assured_date": _date(svc.verified_on),
                "x_owner": svc.owner,
                "x_review_interval_days": svc.review_interval_days,
                "x_open_on_holidays": svc.open_on_holidays,
            }
        )
        for link in svc.locations:
            rows["service_at_location"].append(
                {"id": link.id, "service_id": svc.id, "location_id": link.location_id}
            )
        for phone in svc.phones:
            rows["phone"].append(
                {
                    "id": phone.id,
                    "service_id": svc.id,
                    "number": phone.number,
                    "type": phone.type,
                    "description": phone.description,
                }
            )
        for contact in svc.contacts:
            rows["contact"].append(
                {
                    "id": contact.id,
                    "service_id": svc.id,
                    "name": contact.name,
                    "title": contact.title,
                    "email": contact.email,
                    "phone": contact.phone,
                }
            )
        for slot in svc.schedules:
            rows["schedule"].append(
                {
                    "id": slot.id,
                    "service_id": svc.id,
                    "freq": "WEEKLY" if slot.weekday is not None else None,
                    "byday": WEEKDAYS[slot.weekday] if slot.weekday is not None else None,
                    "opens_at": _time(slot.opens_at),
                    "closes_at": _time(slot.closes_at),
                    "valid_from": _date(slot.valid_from),
                    "valid_to": _date(slot.valid_to),
                    "description": slot.description,
                    "x_kind": str(slot.kind),
                    "x_appointment_only": slot.appointment_only,
                }
            )
        for language in svc.languages:
            rows["language"].append(
                {
                    "id": language.id,
                    "service_id": svc.id,
                    "code": language.code,
                    "name": None,
                    "note": language.note,
                }
            )
        for doc in svc.required_documents:
            rows["required_document"].append(
                {
                    "id": doc.id,
                    "service_id": svc.id,
                    "document": doc.document,
                    "x_position": doc.position,
                }
            )
        for cost in svc.cost_options:
            rows["cost_option"].append(
                {
                    "id": cost.id,
                    "service_id": svc.id,
                    "option": cost.option,
                    "amount": float(cost.amount) if cost.amount is not None else None,
                    "currency": cost.currency,
                }
            )
        for area in svc.service_areas:
            rows["service_area"].append(
                {
                    "id": area.id,
                    "service_id": svc.id,
                    "name": area.name,
                    "description": area.description,
                }
            )
        for category in svc.categories:
            rows["attribute"].append(
                {
                    "id": category.id,
                    "link_id": svc.id,
                    "link_type": "service",
                    "link_entity": "service",
                    "taxonomy_term_id": category.taxonomy_term_id,
                }
            )
    for tr in session.scalars(
        select(Translation).order_by(
            Translation.entity, Translation.record_id, Translation.field, Translation.locale
        )
    ):
        rows["x_translation"].append(
            {
                "entity": tr.entity,
                "record_id": tr.record_id,
                "field": tr.field,
                "locale": tr.locale,
                "text": tr.text,
                "status": str(tr.status),
                "source_version": tr.source_version,
            }
        )
    for name, table_rows in rows.items():
        if name != "x_translation":
            table_rows.sort(key=lambda row: row["id"])
    return rows
