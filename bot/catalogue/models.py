"""HSDS 3.0-shaped catalogue tables, plus translations, holiday exceptions and freshness."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    Time,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    """A new random identifier (HSDS ids are strings)."""
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    """Declarative base with stable constraint names for Alembic."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TranslationStatus(enum.StrEnum):
    """Where a translated text stands."""

    MISSING = "missing"
    MACHINE_TRANSLATED = "machine_translated"
    NEEDS_REVIEW = "needs_review"
    UP_TO_DATE = "up_to_date"


class Organization(Base):
    """An organisation delivering services (municipality, health authority, NGO...)."""

    __tablename__ = "organization"
    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str | None] = mapped_column(String(255))
    website: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), default="active")  # active / inactive (0006)
    version: Mapped[int] = mapped_column(Integer, default=1)  # optimistic lock (migration 0003)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    services: Mapped[list[Service]] = relationship(back_populates="organization")


class Service(Base):
    """A service people can use; Italian text in columns, other languages in `translation`."""

    __tablename__ = "service"
    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    alternate_name: Mapped[str | None] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20), default="active")
    application_process: Mapped[str | None] = mapped_column(Text)
    fees_description: Mapped[str | None] = mapped_column(Text)
    eligibility_description: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(255))
    verified_on: Mapped[dt.date | None] = mapped_column(Date)
    review_interval_days: Mapped[int] = mapped_column(Integer, default=180)
    open_on_holidays: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    organization: Mapped[Organization] = relationship(back_populates="services")
    locations: Mapped[list[ServiceAtLocation]] = relationship(
        back_populates="service", cascade="all, delete-orphan"
    )
    phones: Mapped[list[Phone]] = relationship(cascade="all, delete-orphan")
    contacts: Mapped[list[Contact]] = relationship(cascade="all, delete-orphan")
    schedules: Mapped[list[Schedule]] = relationship(cascade="all, delete-orphan")
    languages: Mapped[list[ServiceLanguage]] = relationship(cascade="all, delete-orphan")
    required_documents: Mapped[list[RequiredDocument]] = relationship(cascade="all, delete-orphan")
    cost_options: Mapped[list[CostOption]] = relationship(cascade="all, delete-orphan")
    service_areas: Mapped[list[ServiceArea]] = relationship(cascade="all, delete-orphan")
    categories: Mapped[list[ServiceCategory]] = relationship(cascade="all, delete-orphan")


class Location(Base):
    """A physical place where services are delivered."""

    __tablename__ = "location"
    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    organization_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"))
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    transportation: Mapped[str | None] = mapped_column(Text)
    address_1: Mapped[str] = mapped_column(String(255))
    city: Mapped[str] = mapped_column(String(120))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    state_province: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2), default="IT")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20), default="active")  # active / inactive (0006)
    version: Mapped[int] = mapped_column(Integer, default=1)  # optimistic lock (migration 0003)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ServiceAtLocation(Base):
    """A service delivered at a location."""

    __tablename__ = "service_at_location"
    __table_args__ = (UniqueConstraint("service_id", "location_id"),)
    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"))
    location_id: Mapped[str] = mapped_column(ForeignKey("location.id"))
    service: Mapped[Service] = relationship(back_populates="locations")
    location: Mapped[Location] = relationship()


class Phone(Base):
    """A phone number of a service."""

    __tablename__ = "phone"
    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str] = mapped_column(String(40))
    type: Mapped[str] = mapped_column(String(20), default="voice")
    description: Mapped[str | None] = mapped_column(Text)


class Contact(Base):
    """A named contact person or desk of a service."""

    __tablename__ = "contact"
    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str | None] = mapped_column(String(255))
    title: Mapped[str | None] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(40))


class ScheduleKind(enum.StrEnum):
    """Weekly opening, a dated exception (open or closed), or a temporary closure."""

    WEEKLY = "weekly"
    EXCEPTION = "exception"
    CLOSURE = "closure"


class Schedule(Base):
    """One opening slot (HSDS schedule) or a dated exception/closure."""

    __tablename__ = "schedule"
    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ScheduleKind] = mapped_column(
        Enum(ScheduleKind, native_enum=False, length=20), default=ScheduleKind.WEEKLY
    )
    weekday: Mapped[int | None] = mapped_column(Integer)  # 0 = Monday
    opens_at: Mapped[dt.time | None] = mapped_column(Time)
    closes_at: Mapped[dt.time | None] = mapped_column(Time)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    appointment_only: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str | None] = mapped_column(Text)


class ServiceLanguage(Base):
    """A language the service is delivered in (HSDS `language`)."""

    __tablename__ = "language"
    __table_args__ = (UniqueConstraint("service_id", "code"),)
    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)


class RequiredDocument(Base):
    """A document to bring."""

    __tablename__ = "required_document"
    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    document: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)


class CostOption(Base):
    """A cost of the service."""

    __tablename__ = "cost_option"
    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    option: Mapped[str | None] = mapped_column(Text)
    amount: Mapped[float | None] = mapped_column(Numeric(10, 2))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")


class ServiceArea(Base):
    """The area a service covers."""

    __tablename__ = "service_area"
    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)


class TaxonomyTerm(Base):
    """A category of the fixed taxonomy (code, Italian label; translations in `translation`)."""

    __tablename__ = "taxonomy_term"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    taxonomy: Mapped[str] = mapped_column(String(60), default="migrant-services")
    status: Mapped[str] = mapped_column(String(20), default="active")  # archived: off the menu
    version: Mapped[int] = mapped_column(Integer, default=1)  # optimistic lock (migration 0006)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ServiceCategory(Base):
    """Link of a service to a taxonomy term (HSDS `attribute`)."""

    __tablename__ = "service_category"
    __table_args__ = (UniqueConstraint("service_id", "taxonomy_term_id"),)
    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"))
    taxonomy_term_id: Mapped[str] = mapped_column(ForeignKey("taxonomy_term.id"))
    term: Mapped[TaxonomyTerm] = relationship(lazy="joined")


class Translation(Base):
    """A translated text: one row per (entity, record, field, locale)."""

    __tablename__ = "translation"
    __table_args__ = (UniqueConstraint("entity", "record_id", "field", "locale"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(64), index=True)
    field: Mapped[str] = mapped_column(String(60))
    locale: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[TranslationStatus] = mapped_column(
        Enum(TranslationStatus, native_enum=False, length=24),
        default=TranslationStatus.UP_TO_DATE,
    )
    source_version: Mapped[str] = mapped_column(String(16), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class CatalogueRevision(Base):
    """One row whose counter database triggers bump on every change the search index reads
    (migration 0005): a cheap, cross-process "has the catalogue changed?" check."""

    __tablename__ = "catalogue_revision"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(BigInteger, default=1)
