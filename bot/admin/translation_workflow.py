"""What needs translating, per record and per language, and saving a translator's work.

A text's status in a language is derived from its `translation` row: no row (or an empty one)
is *missing*; a row whose `source_version` is not the fingerprint of today's Italian text is
*outdated*; otherwise the stored status (machine translated / needs review / up to date).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.admin import audit
from bot.catalogue.models import (
    Location,
    Organization,
    Service,
    TaxonomyTerm,
    Translation,
    TranslationStatus,
)
from bot.catalogue.presenter import TEXT_FIELDS
from bot.catalogue.texts import effective_status, source_version
from bot.i18n.languages import LANGUAGES, SOURCE_LANGUAGE

TARGET_LOCALES: tuple[str, ...] = tuple(
    language.code for language in LANGUAGES if language.code != SOURCE_LANGUAGE
)
STATUSES = ("missing", "outdated", "machine_translated", "needs_review", "up_to_date")
TODO_STATUSES = ("missing", "outdated", "machine_translated", "needs_review")
SAVABLE_STATUSES = ("up_to_date", "needs_review", "machine_translated")
RECORD_ENTITIES = ("service", "organization", "location", "taxonomy_term")
FIELDS: dict[str, tuple[str, ...]] = {
    "service": TEXT_FIELDS,
    "required_document": ("document",),
    "cost_option": ("option",),
    "organization": ("description",),
    "location": ("transportation",),
    "taxonomy_term": ("name",),
}


@dataclass(frozen=True)
class TextItem:
    """One translatable text of a record in one target language."""

    entity: str
    record_id: str
    field: str
    source: str
    text: str
    status: str
    position: int = 0  # order of documents and costs

    @property
    def key(self) -> str:
        """Identifies the text inside a form."""
        return f"{self.entity}|{self.record_id}|{self.field}"

    @property
    def base(self) -> str:
        """Fingerprint of the stored translation, to notice a concurrent save."""
        return text_fingerprint(self.text)


@dataclass(frozen=True)
class RecordRef:
    """A record that owns translatable texts (a service with its documents and costs, ...)."""

    entity: str
    record_id: str
    name: str
    organization_id: str | None


@dataclass
class RecordProgress:
    """How the texts of one record stand in one language."""

    record: RecordRef
    counts: Counter[str]

    @property
    def todo(self) -> int:
        """Texts that are not up to date."""
        return sum(self.counts[s] for s in TODO_STATUSES)


class TranslationConflictError(Exception):
    """Someone saved some of these translations after the form was opened; nothing written."""

    def __init__(self, items: list[TextItem]) -> None:
        super().__init__("translation conflict")
        self.items = items


def text_fingerprint(text: str) -> str:
    """A short fingerprint of a translated text ('' for none)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16] if text else ""


def status_of(row: Translation | None, source: str) -> str:
    """missing / outdated / machine_translated / needs_review / up_to_date."""
    if row is None or not row.text:
        return "missing"
    return effective_status(row, source)


def _sources(record: Any, entity: str) -> list[tuple[str, str, str, str, int]]:
    """(entity, record id, field, Italian text, position) of every non-empty source text."""
    found = []
    for field in FIELDS[entity]:
        text = getattr(record, field) or ""
        if text:
            found.append((entity, record.id, field, text, 0))
    if entity == "service":
        for document in sorted(record.required_documents, key=lambda d: d.position):
            if document.document:
                found.append(
                    (
                        "required_document",
                        document.id,
                        "document",
                        document.document,
                        document.position,
                    )
                )
        for position, cost in enumerate(record.cost_options):
            if cost.option:
                found.append(("cost_option", cost.id, "option", cost.option, position))
    return found


def load_record(session: Session, entity: str, record_id: str) -> Any | None:
    """The service, organisation, location or category with its translatable children."""
    if entity == "service":
        return session.scalar(
            select(Service)
            .options(selectinload(Service.required_documents), selectinload(Service.cost_options))
            .where(Service.id == record_id)
        )
    model = {"organization": Organization, "location": Location, "taxonomy_term": TaxonomyTerm}
    if entity not in model:
        return None
    return session.get(model[entity], record_id)


def record_ref(entity: str, record: Any) -> RecordRef:
    """Name and owning organisation of a record (for lists and permissions)."""
    organization_id = {
        "service": getattr(record, "organization_id", None),
        "organization": record.id,
        "location": getattr(record, "organization_id", None),
    }.get(entity)
    return RecordRef(entity, record.id, record.name, organization_id)


def _rows(
    session: Session, keys: Iterable[tuple[str, str]], locales: Iterable[str] | None
) -> dict[tuple[str, str, str, str], Translation]:
    record_ids = {record_id for _, record_id in keys}
    if not record_ids:
        return {}
    query = select(Translation).where(Translation.record_id.in_(record_ids))
    if locales is not None:
        query = query.where(Translation.locale.in_(list(locales)))
    return {(t.entity, t.record_id, t.field, t.locale): t for t in session.scalars(query)}


def record_texts(session: Session, entity: str, record: Any, locale: str) -> list[TextItem]:
    """Every translatable text of a record, side by side with its `locale` translation."""
    sources = _sources(record, entity)
    rows = _rows(session, [(e, r) for e, r, *_ in sources], [locale])
    items = []
    for item_entity, record_id, field, source, position in sources:
        row = rows.get((item_entity, record_id, field, locale))
        items.append(
            TextItem(
                item_entity,
                record_id,
                field,
                source,
                row.text if row is not None else "",
                status_of(row, source),
                position,
            )
        )
    return items


def _records(session: Session) -> list[tuple[RecordRef, Any, str]]:
    services = session.scalars(
        select(Service)
        .options(selectinload(Service.required_documents), selectinload(Service.cost_options))
        .where(Service.status == "active")
        .order_by(Service.name)
    )
    found: list[tuple[RecordRef, Any, str]] = [
        (record_ref("service", s), s, "service") for s in services
    ]
    for entity, model in (
        ("organization", Organization),
        ("location", Location),
        ("taxonomy_term", TaxonomyTerm),
    ):
        for record in session.scalars(
            select(model).where(model.status == "active").order_by(model.name)
        ):
            found.append((record_ref(entity, record), record, entity))
    return found


def progress(
    session: Session, locales: Iterable[str] = TARGET_LOCALES
) -> dict[str, list[RecordProgress]]:
    """Locale -> how each active record's texts stand in it (services, organisations, ...)."""
    wanted = list(locales)
    records = _records(session)
    sources = {ref: _sources(record, entity) for ref, record, entity in records}
    keys = [(e, r) for items in sources.values() for e, r, *_ in items]
    rows = _rows(session, keys, wanted)
    report: dict[str, list[RecordProgress]] = {locale: [] for locale in wanted}
    for ref, items in sources.items():
        for locale in wanted:
            counts: Counter[str] = Counter()
            for entity, record_id, field, source, _ in items:
                counts[status_of(rows.get((entity, record_id, field, locale)), source)] += 1
            report[locale].append(RecordProgress(ref, counts))
    return report


def totals(report: Mapping[str, list[RecordProgress]]) -> dict[str, Counter[str]]:
    """Locale -> number of texts per status."""
    result: dict[str, Counter[str]] = {}
    for locale, records in report.items():
        counts: Counter[str] = Counter()
        for record in records:
            counts.update(record.counts)
        result[locale] = counts
    return result


def _chosen_status(raw: str, text_changed: bool) -> str | None:
    if raw in SAVABLE_STATUSES:
        return raw
    return "up_to_date" if text_changed else None


def save_translations(
    session: Session,
    items: list[TextItem],
    form: Mapping[str, Any],
    locale: str,
    actor: str,
) -> int:
    """Apply the side-by-side form; returns how many texts changed.

    The form has, per item n: `key-n`, `base-n` (fingerprint of the translation when opened),
    `text-n` and `status-n`. Items the form does not name are left alone. If any stored
    translation changed since the form was opened, nothing is written.
    """
    by_key = {item.key: item for item in items}
    planned: list[tuple[TextItem, str, str]] = []
    conflicts: list[TextItem] = []
    index = 0
    while f"key-{index}" in form:
        item = by_key.get(str(form.get(f"key-{index}")))
        raw_text = str(form.get(f"text-{index}") or "").strip()
        raw_status = str(form.get(f"status-{index}") or "")
        base = str(form.get(f"base-{index}") or "")
        index += 1
        if item is None:
            continue
        text_changed = raw_text != item.text
        status = _chosen_status(raw_status, text_changed)
        if not text_changed and (status is None or status == item.status):
            continue
        if base != item.base:
            conflicts.append(item)
            continue
        planned.append((item, raw_text, status or "up_to_date"))
    if conflicts:
        raise TranslationConflictError(conflicts)
    rows = _rows(session, [(i.entity, i.record_id) for i, _, _ in planned], [locale])
    for item, text, status in planned:
        row = rows.get((item.entity, item.record_id, item.field, locale))
        before = {"text": item.text, "status": item.status}
        if not text:
            if row is not None:
                session.delete(row)
            after = {"text": "", "status": "missing"}
        else:
            if row is None:
                row = Translation(
                    entity=item.entity, record_id=item.record_id, field=item.field, locale=locale
                )
                session.add(row)
            row.text = text
            row.status = TranslationStatus(status)
            row.source_version = source_version(item.source)
            after = {"text": text, "status": status}
        audit.record(
            session,
            actor,
            "translate",
            item.entity,
            item.record_id,
            audit.diff(
                {f"{item.field}[{locale}]": before["text"], f"status[{locale}]": before["status"]},
                {f"{item.field}[{locale}]": after["text"], f"status[{locale}]": after["status"]},
            ),
        )
    session.flush()
    return len(planned)
