"""Search finds services from any translation, with typos and missing accents."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.catalogue.embeddings import CachedEmbedder, E5Embedder, Embedder, Vector
from bot.catalogue.search import CatalogueSearch, default_search
from bot.nlu.text_vector import decode_vector, encode_vector
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


class _CountingEmbedder:
    """The real embedder, counting the queries it embeds."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.queries = 0

    def passages(self, texts: Sequence[str]) -> Vector:
        return self.inner.passages(texts)

    def query(self, text: str) -> Vector:
        self.queries += 1
        return self.inner.query(text)


def test_the_vector_from_the_nlu_pipeline_is_used_instead_of_embedding_again(
    demo_catalogue: sessionmaker[Session],
) -> None:
    cache = Settings().embedding_cache
    assert cache is not None
    embedder = _CountingEmbedder(CachedEmbedder(E5Embedder(), cache))
    search = CatalogueSearch(embedder)
    query = "Мені потрібні курси італійської мови"
    with demo_catalogue() as session:
        computed = search.search(session, query, limit=5)
        assert embedder.queries == 1
        handed = decode_vector(encode_vector(embedder.inner.query(query)))  # as Rasa sends it
        reused = search.search(session, query, limit=5, query_vector=handed)
        assert embedder.queries == 1  # not embedded again
        wrong_size = search.search(session, query, limit=5, query_vector=np.ones(3, np.float32))
        assert embedder.queries == 2  # a vector that does not fit is ignored
    assert [h.service_id for h in reused] == [h.service_id for h in computed]
    assert [h.service_id for h in wrong_size] == [h.service_id for h in computed]
    assert computed[0].service_id == COURSE


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("مجھے فیملی ڈاکٹر چاہیے", "health"),  # Urdu keyboard
        ("مجهے فيملي ڈاكٹر چاهيے", "health"),  # the same words on an Arabic keyboard
        ("أين أتعلم اللغة الإيطالية؟", "language"),
        ("اين اتعلم اللغه الايطاليه", "language"),  # no hamza, teh marbuta as heh
        ("iscrizione all'anagrafe per la residenza in città", "registry"),
        ("iscrizione allanagrafe per la residenza in citta", "registry"),  # no accents
    ],
)
def test_a_need_typed_without_accents_or_on_another_keyboard_finds_the_same_kind_of_service(
    demo_catalogue: sessionmaker[Session], typed: str, expected: str
) -> None:
    with demo_catalogue() as session:
        hits = _search().search(session, typed, limit=3)
    assert any(expected in hit.categories for hit in hits), [h.service_id for h in hits]
