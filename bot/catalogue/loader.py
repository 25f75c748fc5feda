"""Write catalogue documents (the demo format, see data/README.md) into the database."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.catalogue.models import (
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
from bot.catalogue.texts import source_version
from bot.i18n.languages import SOURCE_LANGUAGE

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_DIR = DATA_DIR / "demo"


def _source(value: Any) -> str:
    if isinstance(value, Mapping):
        return str(value.get(SOURCE_LANGUAGE) or "")
    return str(value or "")


def _time(value: str | None) -> dt.time | None:
    return dt.time.fromisoformat(value) if value else None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class TranslationWriter:
    """Upserts translation rows, remembering the source version they were written against."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._existing = {
            (row.entity, row.record_id, row.field, row.locale): row
            for row in session.scalars(select(Translation))
        }

    def put(
        self,
        entity: str,
        record_id: str,
        field: str,
        locale: str,
        text: str,
        source_text: str,
        status: TranslationStatus = TranslationStatus.UP_TO_DATE,
    ) -> None:
        """Store one translated text (the Italian source lives in the entity's columns)."""
        if locale == SOURCE_LANGUAGE or not text:
            return
        key = (entity, record_id, field, locale)
        row = self._existing.get(key)
        version = source_version(source_text)
        if row is None:
            row = Translation(
                entity=entity,
                record_id=record_id,
                field=field,
                locale=locale,
                text=text,
                status=status,
                source_version=version,
            )
            self.session.add(row)
            self._existing[key] = row
        elif (row.text, row.status, row.source_version) != (text, status, version):
            row.text, row.status, row.source_version = text, status, version

    def put_all(self, entity: str, record_id: str, field: str, value: Any) -> None:
        """Store every non-source language of a `{locale: text}` object."""
        if not isinstance(value, Mapping):
            return
        source_text = _source(value)
        for locale, text in value.items():
            self.put(entity, record_id, field, locale, str(text), source_text)


def load_taxonomy(session: Session, writer: TranslationWriter, data: Mapping[str, Any]) -> None:
    """Create or update the fixed categories and their translated labels."""
    existing = {term.code: term for term in session.scalars(select(TaxonomyTerm))}
    for category in data["categories"]:
        code = category["code"]
        labels = category["labels"]
        term = existing.get(code)
        if term is None:
            term = TaxonomyTerm(id=f"cat-{code}", code=code, name=_source(labels))
            session.add(term)
        else:
            term.name = _source(labels)
        writer.put_all("taxonomy_term", term.id, "name", labels)
    session.flush()


def load_catalogue(session: Session, data: Mapping[str, Any]) -> None:
    """Create or update organisations, locations and services from a catalogue document."""
    writer = TranslationWriter(session)
    terms = {term.code: term for term in session.scalars(select(TaxonomyTerm))}
    for raw in data.get("organizations", []):
        org = session.get(Organization, raw["id"]) or Organization(id=raw["id"])
        org.name = raw["name"]
        org.description = _source(raw.get("description"))
        org.email, org.website = raw.get("email"), raw.get("website")
        session.add(org)
        writer.put_all("organization", org.id, "description", raw.get("description"))
    for raw in data.get("locations", []):
        location = session.get(Location, raw["id"]) or Location(id=raw["id"])
        for column in (
            "organization_id",
            "name",
            "address_1",
            "city",
            "postal_code",
            "state_province",
            "latitude",
            "longitude",
        ):
            setattr(location, column, raw.get(column))
        location.country = raw.get("country", "IT")
        location.transportation = _source(raw.get("transportation")) or None
        session.add(location)
        writer.put_all("location", location.id, "transportation", raw.get("transportation"))
    session.flush()
    for raw in data.get("services", []):
        _load_service(session, writer, terms, raw)
    session.flush()


def _load_service(
    session: Session,
    writer: TranslationWriter,
    terms: Mapping[str, TaxonomyTerm],
    raw: Mapping[str, Any],
) -> None:
    service = session.get(Service, raw["id"]) or Service(id=raw["id"])
    service.organization_id = raw["organization_id"]
    for field in (
        "name",
        "description",
        "application_process",
        "fees_description",
        "eligibility_description",
    ):
        setattr(
            service,
            field,
            _source(raw.get(field)) or ("" if field in {"name", "description"} else None),
        )
        writer.put_all("service", service.id, field, raw.get(field))
    service.alternate_name = raw.get("alternate_name")
    service.email, service.url = raw.get("email"), raw.get("url")
    service.status = raw.get("status", "active")
    service.owner = raw.get("owner")
    service.verified_on = _date(raw.get("verified_on"))
    service.review_interval_days = int(raw.get("review_interval_days", 180))
    service.open_on_holidays = bool(raw.get("open_on_holidays", False))
    session.add(service)
    session.flush()
    for child in (
        ServiceAtLocation,
        Phone,
        Schedule,
        ServiceLanguage,
        RequiredDocument,
        CostOption,
        ServiceArea,
        ServiceCategory,
    ):
        session.execute(delete(child).where(child.service_id == service.id))
    session.expire(service)
    for location_id in raw.get("location_ids", []):
        session.add(
            ServiceAtLocation(
                id=f"{service.id}@{location_id}", service_id=service.id, location_id=location_id
            )
        )
    for i, phone in enumerate(raw.get("phones", [])):
        session.add(
            Phone(
                id=f"{service.id}-phone-{i}",
                service_id=service.id,
                number=phone["number"],
                type=phone.get("type", "voice"),
            )
        )
    for i, slot in enumerate(raw.get("schedule", [])):
        session.add(
            Schedule(
                id=f"{service.id}-schedule-{i}",
                service_id=service.id,
                kind=ScheduleKind(slot.get("kind", "weekly")),
                weekday=slot.get("weekday"),
                opens_at=_time(slot.get("opens_at")),
                closes_at=_time(slot.get("closes_at")),
                valid_from=_date(slot.get("valid_from")),
                valid_to=_date(slot.get("valid_to")),
                appointment_only=bool(slot.get("appointment_only", False)),
                description=slot.get("description"),
            )
        )
    for code in raw.get("languages", []):
        session.add(
            ServiceLanguage(id=f"{service.id}-lang-{code}", service_id=service.id, code=code)
        )
    for i, document in enumerate(raw.get("required_documents", [])):
        doc_id = f"{service.id}-doc-{i}"
        session.add(
            RequiredDocument(
                id=doc_id, service_id=service.id, document=_source(document), position=i
            )
        )
        writer.put_all("required_document", doc_id, "document", document)
    for i, cost in enumerate(raw.get("cost_options", [])):
        cost_id = f"{service.id}-cost-{i}"
        session.add(
            CostOption(
                id=cost_id,
                service_id=service.id,
                amount=cost.get("amount"),
                currency=cost.get("currency", "EUR"),
                option=_source(cost.get("option")) or None,
            )
        )
        writer.put_all("cost_option", cost_id, "option", cost.get("option"))
    for i, area in enumerate(raw.get("service_areas", [])):
        session.add(ServiceArea(id=f"{service.id}-area-{i}", service_id=service.id, name=area))
    for code in raw.get("categories", []):
        session.add(
            ServiceCategory(
                id=f"{service.id}-cat-{code}",
                service_id=service.id,
                taxonomy_term_id=terms[code].id,
            )
        )


def load_translation_overlay(session: Session, data: Mapping[str, Any]) -> None:
    """Add one language's texts (demo/translations/<lang>.json) to existing records."""
    writer = TranslationWriter(session)
    locale = data["locale"]
    for org_id, fields in data.get("organizations", {}).items():
        org = session.get(Organization, org_id)
        if org is not None and fields.get("description"):
            writer.put(
                "organization",
                org_id,
                "description",
                locale,
                fields["description"],
                org.description,
            )
    for location_id, fields in data.get("locations", {}).items():
        location = session.get(Location, location_id)
        if location is not None and fields.get("transportation"):
            writer.put(
                "location",
                location_id,
                "transportation",
                locale,
                fields["transportation"],
                location.transportation or "",
            )
    for service_id, fields in data.get("services", {}).items():
        service = session.get(Service, service_id)
        if service is None:
            continue
        for field in (
            "name",
            "description",
            "application_process",
            "fees_description",
            "eligibility_description",
        ):
            if fields.get(field):
                writer.put(
                    "service",
                    service_id,
                    field,
                    locale,
                    fields[field],
                    getattr(service, field) or "",
                )
        documents = sorted(service.required_documents, key=lambda d: d.position)
        for document, text in zip(documents, fields.get("required_documents", []), strict=False):
            writer.put(
                "required_document", document.id, "document", locale, text, document.document
            )
        for cost, text in zip(service.cost_options, fields.get("cost_options", []), strict=False):
            writer.put("cost_option", cost.id, "option", locale, text, cost.option or "")
    session.flush()


def read_json(path: Path) -> Any:
    """Read a UTF-8 JSON file."""
    return json.loads(path.read_text(encoding="utf-8"))


def load_demo(session: Session) -> None:
    """Load the taxonomy, the demo catalogue and every demo translation overlay."""
    writer = TranslationWriter(session)
    load_taxonomy(session, writer, read_json(DATA_DIR / "taxonomy.json"))
    load_catalogue(session, read_json(DEMO_DIR / "catalogue.json"))
    for overlay in sorted((DEMO_DIR / "translations").glob("*.json")):
        load_translation_overlay(session, read_json(overlay))
