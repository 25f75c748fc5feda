"""An in-memory BM25 term index with typo tolerance, scored with numpy."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from bot.catalogue.text_normalise import stem, tokens, trigrams

Scores = NDArray[np.float32]
STEM_WEIGHT = 0.5
STEM_QUERY_FACTOR = 0.7
TYPO_MIN_LENGTH = 4
TYPO_MIN_SIMILARITY = 0.45
BM25_K1 = 1.2
BM25_B = 0.75


class TermIndex:
    """Documents are numbered 0..n-1; fields carry weights; `freeze()` before scoring."""

    def __init__(self, field_weights: Mapping[str, float]) -> None:
        self.field_weights = dict(field_weights)
        self._pending: dict[str, dict[int, float]] = defaultdict(dict)
        self._lengths: list[float] = []
        self._grams: dict[str, set[str]] = defaultdict(set)
        self._postings: dict[str, tuple[NDArray[np.int64], Scores, float]] = {}

    @property
    def size(self) -> int:
        """How many documents."""
        return len(self._lengths)

    def add(self, fields: Mapping[str, str]) -> int:
        """Add one document; return its number."""
        doc = len(self._lengths)
        weights: dict[str, float] = defaultdict(float)
        for name, text in fields.items():
            weight = self.field_weights[name]
            for token, count in Counter(tokens(text)).items():
                weights[token] += weight * count
                stemmed = stem(token)
                if stemmed:
                    weights[stemmed] += weight * count * STEM_WEIGHT
        for term, weight in weights.items():
            self._pending[term][doc] = weight
        self._lengths.append(sum(weights.values()) or 1.0)
        return doc

    def freeze(self) -> None:
        """Turn postings into arrays with BM25 weights precomputed."""
        total = len(self._lengths)
        lengths = np.asarray(self._lengths, dtype=np.float32)
        average = float(lengths.mean()) if total else 1.0
        for term, posting in self._pending.items():
            docs = np.fromiter(posting.keys(), dtype=np.int64, count=len(posting))
            raw = np.fromiter(posting.values(), dtype=np.float32, count=len(posting))
            norm = (
                raw
                * (BM25_K1 + 1)
                / (raw + BM25_K1 * (1 - BM25_B + BM25_B * lengths[docs] / average))
            )
            idf = math.log(1 + (total - len(posting) + 0.5) / (len(posting) + 0.5))
            self._postings[term] = (docs, norm.astype(np.float32), idf)
            if not term.endswith("~") and len(term) >= TYPO_MIN_LENGTH:
                for gram in trigrams(term):
                    self._grams[gram].add(term)
        self._pending.clear()

    def similar_terms(self, token: str) -> list[tuple[str, float]]:
        """Up to three indexed terms that look like a misspelling of `token`."""
        if len(token) < TYPO_MIN_LENGTH:
            return []
        mine = trigrams(token)
        counts: Counter[str] = Counter()
        for gram in mine:
            counts.update(self._grams.get(gram, ()))
        similar = []
        for term, shared in counts.items():
            similarity = shared / (len(mine) + len(trigrams(term)) - shared)
            if similarity >= TYPO_MIN_SIMILARITY and term != token:
                similar.append((term, similarity))
        return sorted(similar, key=lambda pair: -pair[1])[:3]

    def score(self, query: str) -> Scores:
        """BM25 score of every document for a query (zeros when nothing matches)."""
        scores = np.zeros(self.size, dtype=np.float32)
        for token in dict.fromkeys(tokens(query)):
            expansions = [(token, 1.0)] if token in self._postings else self.similar_terms(token)
            stemmed = stem(token)
            if stemmed and stemmed in self._postings:
                expansions.append((stemmed, STEM_QUERY_FACTOR))
            for term, factor in expansions:
                docs, norm, idf = self._postings[term]
                scores[docs] += np.float32(factor * idf) * norm
        return scores
