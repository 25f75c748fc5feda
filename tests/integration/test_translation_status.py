"""Changing the Italian source marks the other languages outdated; fallback says so."""

from __future__ import annotations

import datetime as dt

from bot.catalogue.db import make_engine, make_session_factory, unit_of_work
from bot.catalogue.presenter import service_card
from bot.catalogue.repository import CatalogueRepository
from bot.catalogue.translation_status import service_text_status

SERVICE = "svc-cpia-italian-courses"


def test_editing_the_italian_description_outdates_translations(fresh_demo_url: str) -> None:
    engine = make_engine(fresh_demo_url)
    factory = make_session_factory(engine)
    try:
        with factory() as session:
            repository = CatalogueRepository(session)
            service = repository.service(SERVICE)
            assert service is not None
            before = service_text_status(service, repository.translations_for([service]), ["en"])
        assert before[("description", "en")] == "up_to_date"

        with unit_of_work(factory) as session:
            service = CatalogueRepository(session).service(SERVICE)
            assert service is not None
            service.description += " Iscrizioni aperte tutto l'anno."

        with factory() as session:
            repository = CatalogueRepository(session)
            service = repository.service(SERVICE)
            assert service is not None
            translations = repository.translations_for([service])
            after = service_text_status(service, translations, ["en", "ti"])
            assert after[("description", "en")] == "outdated"
            assert after[("name", "en")] == "up_to_date"  # the name did not change
            assert after[("description", "ti")] == "missing"
            card = service_card(service, translations, "ti", dt.datetime.now(dt.UTC))
            assert card["fallback_locale"] == "en"  # Tigrinya falls back to English, and says so
    finally:
        engine.dispose()
