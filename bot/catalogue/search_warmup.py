"""Compute the catalogue's text vectors before the servers start.

The action server embeds catalogue texts the first time it searches, one thread at a time:
on a fresh machine that is about 100 s for the demo catalogue, long enough for the first
person's question to time out. Warming the shared vector cache first, with every core,
makes that first search read cached vectors instead (well under a second).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from bot.catalogue.db import make_engine, make_session_factory, unit_of_work
from bot.catalogue.embeddings import CachedEmbedder, E5Embedder
from bot.catalogue.repository import CatalogueRepository
from bot.catalogue.search import build_index
from bot.settings import Settings

OPENMP_THREADS = "OMP_NUM_THREADS"


@dataclass(frozen=True)
class WarmUp:
    """What warming did: services indexed and the seconds it took."""

    services: int
    seconds: float


def warm_search_vectors(settings: Settings) -> WarmUp | None:
    """Cache the vectors of every active service's texts; None when vector search is off."""
    cache = settings.embedding_cache
    if cache is None:
        return None
    started = time.monotonic()
    saved = os.environ.get(OPENMP_THREADS)
    embedder = E5Embedder(threads=os.cpu_count() or 1)
    engine = make_engine(settings.database_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            index = build_index(CatalogueRepository(session), CachedEmbedder(embedder, cache))
    finally:
        engine.dispose()
        _restore(saved)  # the engine reads it once, when loaded; the servers set their own
    return WarmUp(len(index.doc_ids), time.monotonic() - started)


def _restore(value: str | None) -> None:
    if value is None:
        os.environ.pop(OPENMP_THREADS, None)
    else:
        os.environ[OPENMP_THREADS] = value
