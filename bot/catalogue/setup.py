"""Prepare a catalogue database: migrate it, load the demo when it is empty, warm search."""

from __future__ import annotations

import logging

from bot.catalogue.db import make_engine, make_session_factory, unit_of_work, upgrade
from bot.catalogue.loader import load_demo
from bot.catalogue.repository import CatalogueRepository
from bot.settings import Settings

logger = logging.getLogger(__name__)


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


def prepare_for_serving(settings: Settings, load_demo_if_empty: bool = True) -> int:
    """Everything the servers need before the first question: the migrated catalogue
    (demo loaded when empty) and the search vectors of its texts. Returns the service count."""
    from bot.catalogue.search_warmup import warm_search_vectors

    count = prepare_catalogue(settings.database_url, load_demo_if_empty)
    warmed = warm_search_vectors(settings)
    if warmed is not None and warmed.seconds >= 1.0:
        logger.info(
            "search vectors of %d services cached in %.1f s", warmed.services, warmed.seconds
        )
    return count
