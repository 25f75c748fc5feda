"""Queries on the catalogue, kept out of actions and web handlers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from bot.catalogue.models import (
    CatalogueRevision,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    ServiceCategory,
    TaxonomyTerm,
    Translation,
)
from bot.catalogue.texts import TranslationIndex

_SERVICE_LOADS = (
    selectinload(Service.organization),
    selectinload(Service.locations).selectinload(ServiceAtLocation.location),
    selectinload(Service.phones),
    selectinload(Service.contacts),
    selectinload(Service.schedules),
    selectinload(Service.languages),
    selectinload(Service.required_documents),
    selectinload(Service.cost_options),
    selectinload(Service.service_areas),
    selectinload(Service.categories),
)
_INDEX_LOADS = (
    selectinload(Service.organization),
    selectinload(Service.locations).selectinload(ServiceAtLocation.location),
    selectinload(Service.categories),
)
INDEXED_FIELDS = ("name", "description")
ServiceTexts = dict[tuple[str, str], dict[str, str]]  # (service id, field) -> {locale: text}


class CatalogueRepository:
    """Read access to services, their translations and the taxonomy."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def services(self, ids: Sequence[str] | None = None, active_only: bool = True) -> list[Service]:
        """Services with everything a card needs, in the order of `ids` when given."""
        query = select(Service).options(*_SERVICE_LOADS)
        if active_only:
            query = query.where(Service.status == "active")
        if ids is not None:
            query = query.where(Service.id.in_(list(ids)))
        found = list(self.session.scalars(query))
        if ids is None:
            return sorted(found, key=lambda s: s.name)
        order = {service_id: i for i, service_id in enumerate(ids)}
        return sorted(found, key=lambda s: order.get(s.id, len(order)))

    def service(self, service_id: str) -> Service | None:
        """One active service, or None."""
        found = self.services([service_id])
        return found[0] if found else None

    def services_to_index(self) -> list[Service]:
        """Active services with only what the search index reads (categories, places)."""
        query = select(Service).options(*_INDEX_LOADS).where(Service.status == "active")
        return list(self.session.scalars(query.order_by(Service.id)))

    def service_texts(self) -> ServiceTexts:
        """Every non-empty translated name and description of every service, by locale."""
        rows = self.session.execute(
            select(Translation.record_id, Translation.field, Translation.locale, Translation.text)
            .where(Translation.entity == "service")
            .where(Translation.field.in_(INDEXED_FIELDS))
            .where(Translation.text != "")
        )
        texts: ServiceTexts = {}
        for record_id, field_name, locale, text in rows:
            texts.setdefault((record_id, field_name), {})[locale] = text
        return texts

    def translations_for(self, services: Sequence[Service]) -> TranslationIndex:
        """Every translation a card of these services may show."""
        record_ids: set[str] = set()
        for service in services:
            record_ids.add(service.id)
            record_ids.add(service.organization_id)
            record_ids.update(link.location_id for link in service.locations)
            record_ids.update(doc.id for doc in service.required_documents)
            record_ids.update(cost.id for cost in service.cost_options)
            record_ids.update(link.taxonomy_term_id for link in service.categories)
        if not record_ids:
            return TranslationIndex([])
        rows = self.session.scalars(
            select(Translation).where(Translation.record_id.in_(record_ids))
        )
        return TranslationIndex(rows)

    def taxonomy(self) -> list[TaxonomyTerm]:
        """All categories in use (archived ones are left off the bot's menu)."""
        query = select(TaxonomyTerm).where(TaxonomyTerm.status == "active")
        return list(self.session.scalars(query.order_by(TaxonomyTerm.code)))

    def taxonomy_translations(self) -> TranslationIndex:
        """Translated category labels."""
        return TranslationIndex(
            self.session.scalars(select(Translation).where(Translation.entity == "taxonomy_term"))
        )

    def count_services(self) -> int:
        """How many services exist (any status)."""
        return int(self.session.scalar(select(func.count()).select_from(Service)) or 0)

    def change_stamp(self) -> int:
        """The catalogue revision: database triggers bump it on every change search reads."""
        revision = self.session.execute(
            select(CatalogueRevision.revision).where(CatalogueRevision.id == 1)
        ).scalar_one_or_none()
        return int(revision or 0)

    def overdue(self, today: dt.date) -> list[Service]:
        """Active services whose review date has passed (or that were never verified)."""
        candidates = self.session.scalars(
            select(Service)
            .where(Service.status == "active")
            .where(or_(Service.verified_on.is_(None), Service.verified_on < today))
        )
        return sorted(
            (
                service
                for service in candidates
                if service.verified_on is None
                or service.verified_on + dt.timedelta(days=service.review_interval_days) < today
            ),
            key=lambda s: (s.verified_on or dt.date.min, s.name),
        )

    def organizations(self) -> list[Organization]:
        """All organisations."""
        return list(self.session.scalars(select(Organization).order_by(Organization.name)))

    def locations(self) -> list[Location]:
        """All locations."""
        return list(self.session.scalars(select(Location).order_by(Location.name)))

    def categories_of(self, service: Service) -> list[str]:
        """Category codes of a service."""
        return sorted(link.term.code for link in service.categories)


__all__ = ["CatalogueRepository", "ServiceCategory"]
