"""Search finds services from any translation, with typos and missing accents."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.catalogue.search import CatalogueSearch, default_search
from bot.settings import Settings


def _search() -> CatalogueSearch:
    return default_search(Settings().embedding_cache)


COURSE = "svc-cpia-italian-courses"


@pytest.mark.parametrize(
    "query",
    [
        "Dove posso imparare l'italiano?",
        "Where can I learn Italian?",
        "itallian lesons",  # typos
        "scuola di italiano per stranieri",
    ],
)
def test_italian_course_questions_find_the_course(
    demo_catalogue: sessionmaker[Session], query: str
) -> None:
    with demo_catalogue() as session:
        hits = _search().search(session, query, limit=5)
    assert "language" in hits[0].categories  # the query was recognised as a language need
    assert COURSE in [hit.service_id for hit in hits]


def test_category_filter_keeps_only_that_category(demo_catalogue: sessionmaker[Session]) -> None:
    with demo_catalogue() as session:
        hits = _search().search(session, "", category="health", limit=10)
    assert hits
    from bot.catalogue.repository import CatalogueRepository

    with demo_catalogue() as session:
        repository = CatalogueRepository(session)
        for hit in hits:
            service = repository.service(hit.service_id)
            assert service is not None and "health" in repository.categories_of(service)
