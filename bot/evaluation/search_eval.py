"""Does a held-out service question find a service of the right category first / in the top 3?"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from bot.catalogue.repository import CatalogueRepository
from bot.catalogue.search import CatalogueSearch

HELD_OUT_DIR = Path(__file__).resolve().parents[2] / "tests" / "nlu"
# tuning questions (search weights, vocabulary, training gaps); tests/nlu is only for scoring
DEV_DIR = Path(__file__).resolve().parents[2] / "tests" / "dev"


@dataclass(frozen=True)
class SearchScore:
    """Top-1 and top-3 category accuracy of one language."""

    language: str
    questions: int
    top1: float
    top3: float
    misses: tuple[str, ...]


def held_out_questions(language: str, folder: Path = HELD_OUT_DIR) -> list[tuple[str, str]]:
    """(question, expected category) pairs of one language."""
    path = folder / f"services_{language}.yml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [(str(entry["text"]), str(entry["category"])) for entry in entries]


def available_languages(folder: Path = HELD_OUT_DIR) -> list[str]:
    """Languages that have a service-question file in `folder`."""
    return sorted(p.stem.removeprefix("services_") for p in folder.glob("services_*.yml"))


def evaluate_search(
    session: Session,
    search: CatalogueSearch,
    languages: Sequence[str],
    folder: Path = HELD_OUT_DIR,
) -> list[SearchScore]:
    """Score every language's held-out service questions."""
    repository = CatalogueRepository(session)
    categories = {s.id: set(repository.categories_of(s)) for s in repository.services()}
    scores = []
    for language in languages:
        questions = held_out_questions(language, folder)
        top1 = top3 = 0
        misses = []
        for text, expected in questions:
            hits = search.search(session, text, limit=3)
            found = [expected in categories.get(hit.service_id, set()) for hit in hits]
            top1 += bool(found[:1] and found[0])
            top3 += any(found)
            if not any(found):
                misses.append(f"{text} -> {expected}")
        total = len(questions) or 1
        scores.append(
            SearchScore(language, len(questions), top1 / total, top3 / total, tuple(misses))
        )
    return scores
