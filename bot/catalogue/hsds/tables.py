"""The HSDS 3.0 tables we exchange, their fields and types (plus documented `x_` extensions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FieldType = Literal["string", "integer", "number", "boolean", "date", "time", "enum"]


@dataclass(frozen=True)
class Field:
    """One column of an HSDS table."""

    name: str
    type: FieldType = "string"
    required: bool = False
    references: str | None = None  # table whose `id` this column must name
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """One HSDS table (a data package resource)."""

    name: str
    fields: tuple[Field, ...]
    description: str = ""

    @property
    def field_names(self) -> list[str]:
        """Column names in order."""
        return [f.name for f in self.fields]


ID = Field("id", required=True)
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
TRANSLATION_STATUSES = ("missing", "machine_translated", "needs_review", "up_to_date")

TABLES: tuple[Table, ...] = (
    Table(
        "organization",
        (
            ID,
            Field("name", required=True),
            Field("description"),
            Field("email"),
            Field("website"),
        ),
    ),
    Table(
        "taxonomy_term",
        (
            ID,
            Field("code", required=True),
            Field("name", required=True),
            Field("taxonomy"),
        ),
    ),
    Table(
        "service",
        (
            ID,
            Field("organization_id", required=True, references="organization"),
            Field("name", required=True),
            Field("alternate_name"),
            Field("description"),
            Field("url"),
            Field("email"),
            Field("status", "enum", required=True, choices=("active", "inactive", "defunct")),
            Field("application_process"),
            Field("fees_description"),
            Field("eligibility_description"),
            Field("assured_date", "date"),
            Field("x_owner"),
            Field("x_review_interval_days", "integer"),
            Field("x_open_on_holidays", "boolean"),
        ),
        "assured_date is the date the entry was last verified",
    ),
    Table(
        "location",
        (
            ID,
            Field("organization_id", references="organization"),
            Field("name", required=True),
            Field("description"),
            Field("transportation"),
            Field("latitude", "number"),
            Field("longitude", "number"),
        ),
    ),
    Table(
        "address",
        (
            ID,
            Field("location_id", required=True, references="location"),
            Field("address_1", required=True),
            Field("city", required=True),
            Field("postal_code"),
            Field("state_province"),
            Field("country", required=True),
            Field("address_type"),
        ),
    ),
    Table(
        "service_at_location",
        (
            ID,
            Field("service_id", required=True, references="service"),
            Field("location_id", required=True, references="location"),
        ),
    ),
    Table(
        "phone",
        (
            ID,
            Field("service_id", required=True, references="service"),
            Field("number", required=True),
            Field("type"),
            Field("description"),
        ),
    ),
    Table(
        "contact",
        (
            ID,
            Field("service_id", required=True, references="service"),
            Field("name"),
            Field("title"),
            Field("email"),
            Field("phone"),
        ),
    ),
    Table(
        "schedule",
        (
            ID,
            Field("service_id", required=True, references="service"),
            Field("freq", "enum", choices=("WEEKLY",)),
            Field("byday", "enum", choices=WEEKDAYS),
            Field("opens_at", "time"),
            Field("closes_at", "time"),
            Field("valid_from", "date"),
            Field("valid_to", "date"),
            Field("description"),
            Field("x_kind", "enum", choices=("weekly", "exception", "closure")),
            Field("x_appointment_only", "boolean"),
        ),
        "x_kind: weekly slot, dated exception (closed when no times) or temporary closure",
    ),
    Table(
        "language",
        (
            ID,
            Field("service_id", required=True, references="service"),
            Field("code", required=True),
            Field("name"),
            Field("note"),
        ),
    ),
    Table(
        "required_document",
        (
            ID,
            Field("service_id", required=True, references="service"),
            Field("document", required=True),
            Field("x_position", "integer"),
        ),
    ),
    Table(
        "cost_option",
        (
            ID,
            Field("service_id", required=True, references="service"),
            Field("option"),
            Field("amount", "number"),
            Field("currency"),
        ),
    ),
    Table(
        "service_area",
        (
            ID,
            Field("service_id", required=True, references="service"),
            Field("name", required=True),
            Field("description"),
        ),
    ),
    Table(
        "attribute",
        (
            ID,
            Field("link_id", required=True, references="service"),
            Field("link_type", "enum", required=True, choices=("service",)),
            Field("link_entity", "enum", required=True, choices=("service",)),
            Field("taxonomy_term_id", required=True, references="taxonomy_term"),
        ),
        "links services to their categories",
    ),
    Table(
        "x_translation",
        (
            Field(
                "entity",
                "enum",
                required=True,
                choices=(
                    "organization",
                    "service",
                    "location",
                    "required_document",
                    "cost_option",
                    "taxonomy_term",
                ),
            ),
            Field("record_id", required=True),
            Field("field", required=True),
            Field("locale", required=True),
            Field("text", required=True),
            Field("status", "enum", required=True, choices=TRANSLATION_STATUSES),
            Field("source_version"),
        ),
        "extension: translated text of a field, per locale (the Italian source is in the table)",
    ),
)

BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}
