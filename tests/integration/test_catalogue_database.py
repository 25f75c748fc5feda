"""The catalogue on SQLite and PostgreSQL: migrations, demo load, reads, freshness."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, inspect, select

from bot.catalogue.db import make_engine, make_session_factory, unit_of_work
from bot.catalogue.models import Service, Translation
from bot.catalogue.repository import CatalogueRepository
from bot.catalogue.setup import prepare_catalogue

EXPECTED_TABLES = {
    "organization",
    "service",
    "location",
    "service_at_location",
    "phone",
    "contact",
    "schedule",
    "language",
    "required_document",
    "cost_option",
    "service_area",
    "taxonomy_term",
    "service_category",
    "translation",
}


def test_migrations_create_every_table_and_demo_loads_once(empty_database_url: str) -> None:
    count = prepare_catalogue(empty_database_url)
    assert count >= 40
    engine = make_engine(empty_database_url)
    try:
        assert set(inspect(engine).get_table_names()) >= EXPECTED_TABLES
        factory = make_session_factory(engine)
        with factory() as session:
            translations = session.scalar(select(func.count()).select_from(Translation))
        # running it again changes nothing
        assert prepare_catalogue(empty_database_url) == count
        with factory() as session:
            assert session.scalar(select(func.count()).select_from(Translation)) == translations
            assert session.scalar(select(func.count()).select_from(Service)) == count
    finally:
        engine.dispose()


def test_every_category_has_services_and_overdue_entries_are_listed(
    fresh_demo_url: str,
) -> None:
    engine = make_engine(fresh_demo_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            repository = CatalogueRepository(session)
            services = repository.services()
            covered = {code for s in services for code in repository.categories_of(s)}
            assert covered == {term.code for term in repository.taxonomy()}
            assert len(covered) == 17
            overdue = repository.overdue(dt.date(2026, 11, 25))
            assert overdue and all(s.owner for s in overdue)
            assert all(
                s.verified_on is None
                or s.verified_on + dt.timedelta(days=s.review_interval_days) < dt.date(2026, 11, 25)
                for s in overdue
            )
    finally:
        engine.dispose()


def test_any_write_to_indexed_text_is_seen_by_search_at_once(fresh_demo_url: str) -> None:
    """An edit (ORM or plain SQL from another tool) reaches the next search, no restart."""
    from sqlalchemy import text

    from bot.catalogue.search import CatalogueSearch

    engine = make_engine(fresh_demo_url)
    factory = make_session_factory(engine)
    search = CatalogueSearch()
    try:
        with factory() as session:
            before = CatalogueRepository(session).change_stamp()
            assert not search.search(session, "zanzibarite")
        with unit_of_work(factory) as session:
            course = session.get(Service, "svc-cpia-italian-courses")
            assert course is not None
            course.description += " zanzibarite"
        with factory() as session:
            after_orm = CatalogueRepository(session).change_stamp()
            assert after_orm > before
            hits = search.search(session, "zanzibarite")
            assert [hit.service_id for hit in hits] == ["svc-cpia-italian-courses"]
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE translation SET text = :t WHERE record_id = :r AND field = 'name'"),
                {"t": "Quokkaschule", "r": "svc-job-centre-did"},
            )
        with factory() as session:
            assert CatalogueRepository(session).change_stamp() > after_orm
            assert search.search(session, "quokkaschule")[0].service_id == "svc-job-centre-did"
    finally:
        engine.dispose()
