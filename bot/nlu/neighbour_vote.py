"""Intent votes of the nearest training examples in sentence-vector space.

The e5 vectors of a question and of its paraphrases in other languages lie close together,
so the training examples nearest to a question vote for its intent whatever language they
were written in. Each of the `k` nearest votes with weight exp((similarity - best) / T).
A language with few examples of its own borrows from the others this way, which a linear
classifier over the same vectors only partly does.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.preprocessing import normalize

VECTORS_FILE = "neighbour_vectors.npy"
LABELS_FILE = "neighbour_labels.npy"
CHUNK = 512  # queries per similarity matrix (training passes every example at once)


class NeighbourVote:
    """The training examples' unit vectors and class indices, and their votes."""

    def __init__(self, vectors: np.ndarray, labels: np.ndarray, class_count: int) -> None:
        self.vectors = normalize(vectors.astype(np.float32))
        self.labels = labels.astype(np.int64)
        self.class_count = class_count

    def probabilities(self, queries: np.ndarray, k: int, temperature: float) -> np.ndarray:
        """One row of class probabilities per query; a query without a vector (all zeros)
        gets a row of zeros, so it is left to the other classifier."""
        unit = normalize(queries.astype(np.float32))
        votes = np.zeros((len(unit), self.class_count))
        if not len(self.vectors):
            return votes
        nearest = min(k, len(self.vectors))
        for start in range(0, len(unit), CHUNK):  # the training data: similarities by chunks
            block = unit[start : start + CHUNK]
            similarity = block @ self.vectors.T
            for offset, (query, scores) in enumerate(zip(block, similarity, strict=True)):
                if not query.any():
                    continue
                row = votes[start + offset]
                chosen = np.argpartition(-scores, nearest - 1)[:nearest]
                weights = np.exp((scores[chosen] - scores[chosen].max()) / temperature)
                np.add.at(row, self.labels[chosen], weights)
                row /= row.sum()
        return votes

    def save(self, folder: Path) -> None:
        """Half-precision vectors (cosine similarity does not need more) and the labels."""
        np.save(folder / VECTORS_FILE, self.vectors.astype(np.float16))
        np.save(folder / LABELS_FILE, self.labels)

    @classmethod
    def load(cls, folder: Path, class_count: int) -> NeighbourVote | None:
        """The saved votes, or None when the model was trained without them."""
        if not (folder / VECTORS_FILE).exists():
            return None
        return cls(np.load(folder / VECTORS_FILE), np.load(folder / LABELS_FILE), class_count)
