"""The fixed categories' words in every language, and which categories a query points to."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from bot.catalogue.text_normalise import normalise, stem, tokens, trigrams

DATA_DIR = Path(__file__).resolve().parent / "data"
TYPO_MIN_LENGTH = 4
PHRASE_TYPO_SIMILARITY = 0.55


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
                if similarity >= PHRASE_TYPO_SIMILARITY or same_stem:
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
