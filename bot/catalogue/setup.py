"""Prepare a catalogue database: migrate it and load the demo catalogue when it is empty."""

from __future__ import annotations

from bot.catalogue.db import make_engine, make_session_factory, unit_of_work, upgrade
from bot.catalogue.loader import load_demo
from bot.catalogue.repository import CatalogueRepository


def prepare_catalogue(database_url: str, load_demo_if_empty: bool = True) -> int:
    """Migrate; load the demo when there is no service; return the number of services."""
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        factory = make_session_factory(engine)
        with unit_of_work(factory) as session:
            count = CatalogueRepository(session).count_services()
            if count == 0 and load_demo_if_empty:
                load_demo(session)
                session.flush()
                count = CatalogueRepository(session).count_services()
        return count
    finally:
        engine.dispose()
