"""Free-text service search across every translation, with typo tolerance and category synonyms."""

from __future__ import annotations

import json
import math
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np
from numpy.typing import NDArray
from sqlalchemy.orm import Session

from bot.catalogue.embeddings import CachedEmbedder, E5Embedder, Embedder, Vector
from bot.catalogue.models import Service
from bot.catalogue.repository import CatalogueRepository
from bot.catalogue.text_normalise import normalise, stem, tokens, trigrams

DATA_DIR = Path(__file__).resolve().parent / "data"
FIELD_WEIGHTS = {"name": 3.0, "category": 2.0, "description": 1.0, "extra": 0.6}
STEM_WEIGHT = 0.5
TYPO_MIN_LENGTH = 4
TYPO_MIN_SIMILARITY = 0.45
LEXICAL_WEIGHT = 1.0
DENSE_WEIGHT = 1.5
DENSE_FLOOR = 0.78  # cosine similarity below which a passage says nothing
DENSE_CEILING = 0.90
CATEGORY_WEIGHT = 0.6
BM25_K1 = 1.2


@dataclass(frozen=True)
class SearchHit:
    """A ranked service id with its score and the categories the query pointed to."""

    service_id: str
    score: float
    categories: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def category_vocabulary(data_dir: Path = DATA_DIR) -> dict[str, list[str]]:
    """Per category code: its labels and synonyms in every language, normalised."""
    taxonomy = json.loads((data_dir / "taxonomy.json").read_text(encoding="utf-8"))
    phrases: dict[str, set[str]] = {
        category["code"]: set(category.get("labels", {}).values())
        for category in taxonomy["categories"]
    }
    for path in sorted((data_dir / "synonyms").glob("*.json")):
        synonyms = json.loads(path.read_text(encoding="utf-8"))["synonyms"]
        for code, words in synonyms.items():
            phrases.setdefault(code, set()).update(words)
    return {
        code: sorted({normalise(p).strip() for p in found if p}) for code, found in phrases.items()
    }


class CategoryMatcher:
    """Finds categories whose label or synonym phrases all occur in a query, typos tolerated."""

    def __init__(self, vocabulary: Mapping[str, Sequence[str]]) -> None:
        self._phrases: list[tuple[str, tuple[str, ...]]] = []
        self._by_token: dict[str, set[int]] = defaultdict(set)
        self._grams: dict[str, set[str]] = defaultdict(set)
        for code, phrases in vocabulary.items():
            for phrase in phrases:
                phrase_tokens = tuple(dict.fromkeys(tokens(phrase)))
                if not phrase_tokens:
                    continue
                self._phrases.append((code, phrase_tokens))
                for token in phrase_tokens:
                    self._by_token[token].add(len(self._phrases) - 1)
                    if len(token) >= TYPO_MIN_LENGTH:
                        for gram in trigrams(token):
                            self._grams[gram].add(token)

    def _matching_tokens(self, token: str) -> set[str]:
        found = {token} if token in self._by_token else set()
        stemmed = stem(token)
        if len(token) >= TYPO_MIN_LENGTH:
            mine = trigrams(token)
            counts: Counter[str] = Counter()
            for gram in mine:
                counts.update(self._grams.get(gram, ()))
            for candidate, shared in counts.items():
                similarity = shared / (len(mine) + len(trigrams(candidate)) - shared)
                same_stem = stemmed is not None and stem(candidate) == stemmed
                if similarity >= TYPO_MIN_SIMILARITY + 0.1 or same_stem:
                    found.add(candidate)
        return found

    def detect(self, query: str) -> dict[str, float]:
        """Category code -> strength (longer phrases count more)."""
        matched: set[str] = set()
        for token in dict.fromkeys(tokens(query)):
            matched |= self._matching_tokens(token)
        candidates: set[int] = set()
        for token in matched:
            candidates |= self._by_token[token]
        found: dict[str, float] = {}
        for position in candidates:
            code, phrase_tokens = self._phrases[position]
            if all(token in matched for token in phrase_tokens):
                strength = 1.0 + 0.2 * (len(phrase_tokens) - 1)
                found[code] = max(found.get(code, 0.0), strength)
        return found


@lru_cache(maxsize=1)
def category_matcher() -> CategoryMatcher:
    """The matcher over every label and synonym (built once per process)."""
    return CategoryMatcher(category_vocabulary())


def detect_categories(query: str) -> dict[str, float]:
    """Categories a query points to, with a match strength."""
    return category_matcher().detect(query)


@dataclass
class _Index:
    postings: dict[str, dict[int, float]] = field(default_factory=lambda: defaultdict(dict))
    doc_ids: list[str] = field(default_factory=list)
    doc_categories: list[frozenset[str]] = field(default_factory=list)
    doc_length: list[float] = field(default_factory=list)
    grams: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    dense: Vector | None = None  # one row per passage (a service's text in one language)
    dense_doc: NDArray[np.int64] | None = None  # passage row -> document number

    def dense_scores(self, query_vector: Vector) -> NDArray[np.float32]:
        """Best cosine similarity of each document's passages to the query."""
        best = np.full(len(self.doc_ids), -1.0, dtype=np.float32)
        if self.dense is None or self.dense_doc is None or not len(self.dense):
            return best
        np.maximum.at(best, self.dense_doc, self.dense @ query_vector)
        return best

    def add(self, service_id: str, categories: Iterable[str], fields: Mapping[str, str]) -> None:
        doc = len(self.doc_ids)
        self.doc_ids.append(service_id)
        self.doc_categories.append(frozenset(categories))
        weights: dict[str, float] = defaultdict(float)
        for name, text in fields.items():
            for token in tokens(text):
                weights[token] += FIELD_WEIGHTS[name]
                stemmed = stem(token)
                if stemmed:
                    weights[stemmed] += FIELD_WEIGHTS[name] * STEM_WEIGHT
        for term, weight in weights.items():
            self.postings[term][doc] = weight
            if not term.endswith("~") and len(term) >= TYPO_MIN_LENGTH:
                for gram in trigrams(term):
                    self.grams[gram].add(term)
        self.doc_length.append(sum(weights.values()) or 1.0)

    def similar_terms(self, token: str) -> list[tuple[str, float]]:
        if len(token) < TYPO_MIN_LENGTH:
            return []
        mine = trigrams(token)
        counts: Counter[str] = Counter()
        for gram in mine:
            counts.update(self.grams.get(gram, ()))
        similar = []
        for term, shared in counts.items():
            similarity = shared / (len(mine) + len(trigrams(term)) - shared)
            if similarity >= TYPO_MIN_SIMILARITY and term != token:
                similar.append((term, similarity))
        return sorted(similar, key=lambda pair: -pair[1])[:3]

    def score(self, query: str) -> dict[int, float]:
        total = len(self.doc_ids)
        if not total:
            return {}
        average = sum(self.doc_length) / total
        scores: dict[int, float] = defaultdict(float)
        for token in dict.fromkeys(tokens(query)):
            expansions: list[tuple[str, float]] = []
            if token in self.postings:
                expansions.append((token, 1.0))
            else:
                expansions.extend(self.similar_terms(token))
            stemmed = stem(token)
            if stemmed and stemmed in self.postings:
                expansions.append((stemmed, 0.7))
            for term, factor in expansions:
                posting = self.postings[term]
                idf = math.log(1 + (total - len(posting) + 0.5) / (len(posting) + 0.5))
                for doc, weight in posting.items():
                    norm = (
                        weight
                        * (BM25_K1 + 1)
                        / (weight + BM25_K1 * (0.25 + 0.75 * self.doc_length[doc] / average))
                    )
                    scores[doc] += factor * idf * norm
        return scores


class SearchEngine(Protocol):
    """What the actions and web views need from search."""

    def search(
        self, session: Session, query: str, category: str | None = None, limit: int = 5
    ) -> list[SearchHit]:
        """Ranked services for a free-text query and an optional category."""
        ...


class CatalogueSearch:
    """Hybrid search: BM25 over every translation, category synonyms, and multilingual vectors.

    The index lives in memory and is rebuilt when the catalogue changes (checked per query).
    """

    def __init__(self, embedder: Embedder | None = None) -> None:
        self.embedder = embedder
        self._index = _Index()
        self._stamp: tuple[int, str] | None = None
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
        self, session: Session, query: str, category: str | None = None, limit: int = 5
    ) -> list[SearchHit]:
        """Ranked services; with `category`, only services of that category."""
        index = self._ensure_fresh(session)
        detected = detect_categories(query) if query else {}
        lexical = index.score(query) if query else {}
        best_lexical = max(lexical.values(), default=0.0) or 1.0
        dense = (
            index.dense_scores(self.embedder.query(query))
            if self.embedder is not None and query.strip()
            else None
        )
        scored: list[SearchHit] = []
        for doc, categories in enumerate(index.doc_categories):
            if category is not None and category not in categories:
                continue
            score = LEXICAL_WEIGHT * lexical.get(doc, 0.0) / best_lexical
            if dense is not None:
                closeness = (float(dense[doc]) - DENSE_FLOOR) / (DENSE_CEILING - DENSE_FLOOR)
                score += DENSE_WEIGHT * min(max(closeness, 0.0), 1.0)
            score += CATEGORY_WEIGHT * sum(v for c, v in detected.items() if c in categories)
            if score > 0 or (category is not None and not query):
                scored.append(SearchHit(index.doc_ids[doc], score, tuple(sorted(detected))))
        scored.sort(key=lambda hit: (-hit.score, hit.service_id))
        return scored[:limit]


def default_search(embedding_cache: Path | None) -> CatalogueSearch:
    """Hybrid search with e5 vectors cached in `embedding_cache`; lexical only when None."""
    if embedding_cache is None:
        return CatalogueSearch()
    return CatalogueSearch(CachedEmbedder(E5Embedder(), embedding_cache))


def build_index(repository: CatalogueRepository, embedder: Embedder | None = None) -> _Index:
    """Index every active service in every language it has text in."""
    services = repository.services()
    translations = repository.translations_for(services)
    vocabulary = category_vocabulary()
    index = _Index()
    for service in services:
        codes = repository.categories_of(service)
        fields = {
            "name": " ".join(
                translations.texts(("service", service.id, "name"), service.name).values()
            )
            + " "
            + (service.alternate_name or ""),
            "category": " ".join(" ".join(vocabulary.get(code, [])) for code in codes),
            "description": " ".join(
                translations.texts(
                    ("service", service.id, "description"), service.description
                ).values()
            ),
            "extra": " ".join(_extra_texts(service, translations)),
        }
        index.add(service.id, codes, fields)
    if embedder is not None:
        passages: list[str] = []
        owners: list[int] = []
        for doc, service in enumerate(services):
            names = translations.texts(("service", service.id, "name"), service.name)
            descriptions = translations.texts(
                ("service", service.id, "description"), service.description
            )
            for locale, name in names.items():
                passages.append(f"{name}. {descriptions.get(locale, '')}".strip())
                owners.append(doc)
        index.dense = embedder.passages(passages)
        index.dense_doc = np.asarray(owners, dtype=np.int64)
    return index


def _extra_texts(service: Service, translations: object) -> Sequence[str]:
    texts = [service.organization.name]
    texts.extend(link.location.name for link in service.locations)
    texts.extend(link.location.address_1 for link in service.locations)
    return texts
