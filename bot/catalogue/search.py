"""Hybrid service search: BM25 over every translation, category words, multilingual vectors."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np
from numpy.typing import NDArray
from sqlalchemy.orm import Session

from bot.catalogue.categories import category_vocabulary, detect_categories
from bot.catalogue.embeddings import CachedEmbedder, E5Embedder, Embedder, Vector
from bot.catalogue.models import Service
from bot.catalogue.repository import CatalogueRepository
from bot.catalogue.term_index import TermIndex
from bot.i18n.languages import SOURCE_LANGUAGE

SERVICE_FIELDS = {"name": 3.0, "description": 1.0, "extra": 0.6}
# weights chosen on the tuning questions (tests/dev, `python -m bot eval --dev --search-only`),
# never on the held-out ones they are scored on (tests/nlu)
LEXICAL_WEIGHT = 1.0
CATEGORY_WORDS_WEIGHT = 0.5  # the query shares words with a category's vocabulary
CATEGORY_PHRASE_WEIGHT = 0.6  # the query contains a whole category phrase
DENSE_WEIGHT = 3.0
DENSE_FLOOR = 0.80  # cosine similarity below which a service says nothing
DENSE_CEILING = 0.90


@dataclass(frozen=True)
class SearchHit:
    """A ranked service id with its score and the categories the query pointed to."""

    service_id: str
    score: float
    categories: tuple[str, ...] = ()


@dataclass
class _Index:
    doc_ids: list[str] = field(default_factory=list)
    terms: TermIndex = field(default_factory=lambda: TermIndex(SERVICE_FIELDS))
    category_masks: dict[str, NDArray[np.bool_]] = field(default_factory=dict)
    dense: Vector | None = None  # one unit vector per service

    def dense_scores(self, query_vector: Vector) -> NDArray[np.float32]:
        """Cosine similarity of each service to the query."""
        if self.dense is None or not len(self.dense):
            return np.full(len(self.doc_ids), -1.0, dtype=np.float32)
        scores: NDArray[np.float32] = self.dense @ query_vector
        return scores


@lru_cache(maxsize=1)
def _category_terms() -> tuple[list[str], TermIndex]:
    """A tiny index with one document per category: all its labels and synonyms."""
    vocabulary = category_vocabulary()
    codes = sorted(vocabulary)
    index = TermIndex({"words": 1.0})
    for code in codes:
        index.add({"words": " ".join(vocabulary[code])})
    index.freeze()
    return codes, index


class SearchEngine(Protocol):
    """What the actions and web views need from search."""

    def search(
        self,
        session: Session,
        query: str,
        category: str | None = None,
        limit: int = 5,
        query_vector: Vector | None = None,
    ) -> list[SearchHit]:
        """Ranked services for a free-text query and an optional category."""
        ...


class CatalogueSearch:
    """Hybrid search over an in-memory index, rebuilt when the catalogue changes.

    The catalogue's change stamp is checked on every query, so an edit is visible at once.
    """

    def __init__(self, embedder: Embedder | None = None) -> None:
        self.embedder = embedder
        self._index = _Index()
        self._stamp: int | None = None
        self._lock = threading.Lock()

    def _ensure_fresh(self, session: Session) -> _Index:
        repository = CatalogueRepository(session)
        stamp = repository.change_stamp()
        with self._lock:
            if stamp != self._stamp:
                self._index = build_index(repository, self.embedder)
                self._stamp = stamp
            return self._index

    def search(
        self,
        session: Session,
        query: str,
        category: str | None = None,
        limit: int = 5,
        query_vector: Vector | None = None,
    ) -> list[SearchHit]:
        """Ranked services; with `category`, only services of that category.

        `query_vector` is the query's e5 vector when the caller has it already (the NLU
        pipeline computes it for every message); otherwise the embedder computes it.
        """
        index = self._ensure_fresh(session)
        count = len(index.doc_ids)
        if not count:
            return []
        detected = detect_categories(query) if query.strip() else {}
        scores = np.zeros(count, dtype=np.float32)
        if query.strip():
            lexical = index.terms.score(query)
            scores += LEXICAL_WEIGHT * lexical / (float(lexical.max()) or 1.0)
            codes, category_terms = _category_terms()
            words = category_terms.score(query)
            best_words = float(words.max()) or 1.0
            for code, value in zip(codes, words, strict=True):
                if value > 0 and code in index.category_masks:
                    scores += (
                        CATEGORY_WORDS_WEIGHT * (value / best_words) * index.category_masks[code]
                    )
            for code, strength in detected.items():
                if code in index.category_masks:
                    scores += CATEGORY_PHRASE_WEIGHT * strength * index.category_masks[code]
            if self.embedder is not None:
                vector = self._usable(index, query_vector)
                if vector is None:
                    vector = self.embedder.query(query)
                closeness = (index.dense_scores(vector) - DENSE_FLOOR) / (
                    DENSE_CEILING - DENSE_FLOOR
                )
                scores += DENSE_WEIGHT * np.clip(closeness, 0.0, 1.0)
        allowed = scores > 0
        if category is not None:
            mask = index.category_masks.get(category, np.zeros(count, dtype=np.bool_))
            allowed = mask & (allowed | (not query.strip()))
        candidates = np.flatnonzero(allowed)
        if len(candidates) > limit:
            top = np.argpartition(-scores[candidates], limit - 1)[:limit]
            candidates = candidates[top]
        ordered = sorted(candidates, key=lambda doc: (-float(scores[doc]), index.doc_ids[doc]))
        found = tuple(sorted(detected))
        return [SearchHit(index.doc_ids[doc], float(scores[doc]), found) for doc in ordered]

    @staticmethod
    def _usable(index: _Index, vector: Vector | None) -> Vector | None:
        """A given query vector if it fits the index (same dimensions)."""
        if vector is None or index.dense is None or index.dense.ndim != 2:
            return None
        return vector if vector.shape == (index.dense.shape[1],) else None


def default_search(embedding_cache: Path | None, threads: int = 1) -> CatalogueSearch:
    """Hybrid search with e5 vectors cached in `embedding_cache`; lexical only when None."""
    if embedding_cache is None:
        return CatalogueSearch()
    return CatalogueSearch(CachedEmbedder(E5Embedder(threads), embedding_cache))


def build_index(repository: CatalogueRepository, embedder: Embedder | None = None) -> _Index:
    """Index every active service in every language it has text in."""
    services = repository.services_to_index()
    translated = repository.service_texts()

    def texts(service: Service, field_name: str) -> dict[str, str]:
        found = dict(translated.get((service.id, field_name), {}))
        source = getattr(service, field_name)
        if source:
            found[SOURCE_LANGUAGE] = source
        return found

    index = _Index()
    members: dict[str, list[int]] = {}
    names: list[dict[str, str]] = []
    descriptions: list[dict[str, str]] = []
    for service in services:
        names.append(texts(service, "name"))
        descriptions.append(texts(service, "description"))
        doc = index.terms.add(
            {
                "name": " ".join(names[-1].values()) + " " + (service.alternate_name or ""),
                "description": " ".join(descriptions[-1].values()),
                "extra": " ".join(_extra_texts(service)),
            }
        )
        index.doc_ids.append(service.id)
        for link in service.categories:
            members.setdefault(link.term.code, []).append(doc)
    index.terms.freeze()
    for code, docs in members.items():
        mask = np.zeros(len(services), dtype=np.bool_)
        mask[docs] = True
        index.category_masks[code] = mask
    if embedder is not None:
        index.dense = _service_vectors(names, descriptions, embedder)
    return index


def _service_vectors(
    names: Sequence[dict[str, str]], descriptions: Sequence[dict[str, str]], embedder: Embedder
) -> Vector:
    """One unit vector per service: the mean of its name+description in every language."""
    passages: list[str] = []
    owners: list[int] = []
    for doc, (by_locale, described) in enumerate(zip(names, descriptions, strict=True)):
        for locale, name in by_locale.items():
            passages.append(f"{name}. {described.get(locale, '')}".strip())
            owners.append(doc)
    if not passages:
        return np.zeros((0, 0), dtype=np.float32)
    vectors = embedder.passages(passages)
    sums = np.zeros((len(names), vectors.shape[1]), dtype=np.float32)
    np.add.at(sums, np.asarray(owners), vectors)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return (sums / np.where(norms == 0, 1.0, norms)).astype(np.float32)


def _extra_texts(service: Service) -> list[str]:
    texts = [service.organization.name]
    texts.extend(link.location.name for link in service.locations)
    texts.extend(link.location.address_1 for link in service.locations)
    return texts
