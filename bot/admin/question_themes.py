"""Group unanswered questions by theme across languages.

First the catalogue's category detection (multilingual synonyms, typo tolerant) puts a
question under a category. The rest are clustered by meaning with the multilingual e5
sentence vectors the catalogue search uses, so "where can I charge my phone" and "dove
posso ricaricare il telefono" end up together. Without vectors they are listed as "other".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from bot.catalogue.embeddings import Vector

# e5 query vectors, cosine: the same question across languages ~0.89-0.93, other topics <= 0.85
SIMILARITY_THRESHOLD = 0.87
OTHER = "other"
Vectorize = Callable[[str], Vector]  # a question -> its unit-length e5 query vector


@dataclass(frozen=True)
class Question:
    """One scrubbed question someone asked."""

    text: str
    language: str
    created_at: dt.datetime
    reason: str


@dataclass
class Theme:
    """Questions about the same thing, in any language."""

    key: str
    category: str | None = None
    questions: list[Question] = field(default_factory=list)

    @property
    def languages(self) -> Counter[str]:
        """How many questions per language."""
        return Counter(q.language for q in self.questions)

    @property
    def representative(self) -> str:
        """The first (oldest kept) question, standing for the theme when it has no category."""
        return self.questions[0].text if self.questions else ""

    @property
    def latest(self) -> dt.datetime | None:
        """When the newest question of the theme was asked."""
        return max((q.created_at for q in self.questions), default=None)


def _best_category(detected: dict[str, float]) -> str | None:
    if not detected:
        return None
    return sorted(detected.items(), key=lambda item: (-item[1], item[0]))[0][0]


def _cluster(questions: Sequence[Question], vectorize: Vectorize) -> list[list[Question]]:
    """Greedy clustering: a question joins the closest group whose centroid is similar enough."""
    vectors = [vectorize(q.text) for q in questions]
    centroids: list[np.ndarray] = []
    groups: list[list[Question]] = []
    sums: list[np.ndarray] = []
    for question, vector in zip(questions, vectors, strict=True):
        if centroids:
            similarities = np.array([float(c @ vector) for c in centroids])
            best = int(similarities.argmax())
            if similarities[best] >= SIMILARITY_THRESHOLD:
                groups[best].append(question)
                sums[best] = sums[best] + vector
                centroids[best] = sums[best] / (np.linalg.norm(sums[best]) or 1.0)
                continue
        groups.append([question])
        sums.append(vector.copy())
        centroids.append(vector / (np.linalg.norm(vector) or 1.0))
    return groups


def group_by_theme(
    questions: Sequence[Question],
    detect: Callable[[str], dict[str, float]],
    vectorize: Vectorize | None,
) -> list[Theme]:
    """Themes, biggest first: categories, then clusters of two or more, then "other"."""
    by_category: dict[str, Theme] = {}
    rest: list[Question] = []
    for question in questions:
        code = _best_category(detect(question.text))
        if code is None:
            rest.append(question)
        else:
            by_category.setdefault(code, Theme(f"category-{code}", code)).questions.append(question)
    clusters: list[Theme] = []
    other = Theme(OTHER)
    if rest and vectorize is not None:
        for number, group in enumerate(_cluster(rest, vectorize)):
            if len(group) > 1:
                clusters.append(Theme(f"cluster-{number}", None, group))
            else:
                other.questions.extend(group)
    else:
        other.questions.extend(rest)
    themes = sorted([*by_category.values(), *clusters], key=lambda t: (-len(t.questions), t.key))
    return [*themes, other] if other.questions else themes
