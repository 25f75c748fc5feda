"""Search latency against a catalogue of N generated services, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path

import psycopg
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.bench.measures import percentile
from bot.catalogue.db import make_engine, make_session_factory, unit_of_work, upgrade
from bot.catalogue.embeddings import Vector
from bot.catalogue.loader import load_demo
from bot.catalogue.models import (
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceCategory,
    Translation,
)
from bot.catalogue.repository import CatalogueRepository
from bot.catalogue.search import CatalogueSearch, default_search
from bot.nlu.text_vector import decode_vector, encode_vector
from bot.settings import Settings

QUERIES = (
    "Dove posso imparare l'italiano?",
    "Where can I learn Italian?",
    "medico di famiglia",
    "rinnovo permesso di soggiorno",
    "je cherche un travail",
    "necesito un abogado gratis",
    "أين أجد طعام مجاني",
    "де зробити codice fiscale",
    "我想给孩子报名上学",
    "mujhe ghar chahiye",
    "itallian lesons",
    "emergency",
    "bus ticket reduced",
    "iscrizione anagrafica residenza",
)
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def generate_catalogue(factory: sessionmaker[Session], total: int, seed: int = 7) -> None:
    """The demo catalogue, then copies of its services (with their translations) up to `total`."""
    rng = random.Random(seed)
    with unit_of_work(factory) as session:
        load_demo(session)
    with unit_of_work(factory) as session:
        templates = CatalogueRepository(session).services()
        rows = list(session.scalars(select(Translation).where(Translation.entity == "service")))
        by_service: dict[str, list[Translation]] = {}
        for row in rows:
            by_service.setdefault(row.record_id, []).append(row)
        for number in range(total - len(templates)):
            template = rng.choice(templates)
            new_id = f"gen-{number:05d}-{template.id}"
            session.add(
                Service(
                    id=new_id,
                    organization_id=template.organization_id,
                    name=template.name,
                    description=template.description,
                    application_process=template.application_process,
                    status="active",
                    owner=template.owner,
                    verified_on=template.verified_on,
                )
            )
            for link in template.locations:
                session.add(
                    ServiceAtLocation(
                        id=f"{new_id}@{link.location_id}",
                        service_id=new_id,
                        location_id=link.location_id,
                    )
                )
            for i, phone in enumerate(template.phones):
                session.add(Phone(id=f"{new_id}-p{i}", service_id=new_id, number=phone.number))
            for i, slot in enumerate(template.schedules):
                session.add(
                    Schedule(
                        id=f"{new_id}-s{i}",
                        service_id=new_id,
                        kind=slot.kind,
                        weekday=slot.weekday,
                        opens_at=slot.opens_at,
                        closes_at=slot.closes_at,
                    )
                )
            for category in template.categories:
                session.add(
                    ServiceCategory(
                        id=f"{new_id}-c{category.taxonomy_term_id}",
                        service_id=new_id,
                        taxonomy_term_id=category.taxonomy_term_id,
                    )
                )
            for row in by_service.get(template.id, []):
                session.add(
                    Translation(
                        entity="service",
                        record_id=new_id,
                        field=row.field,
                        locale=row.locale,
                        text=row.text,
                        status=row.status,
                        source_version=row.source_version,
                    )
                )
            if number % 1000 == 999:
                session.flush()


def measure(
    factory: sessionmaker[Session],
    search: CatalogueSearch,
    rounds: int,
    vectors: Mapping[str, Vector] | None = None,
) -> tuple[list[float], list[float]]:
    """Latencies (ms) of the search alone and of search plus loading the top three services
    (the path an action takes before it renders a card). With `vectors`, each query comes
    with its e5 vector, as the NLU pipeline hands it to the actions."""
    with factory() as session:
        started = time.perf_counter()
        search.search(session, "warm up")
        print(f"    index built in {time.perf_counter() - started:.1f}s")
    searching, answering = [], []
    for _ in range(rounds):
        for query in QUERIES:
            vector = vectors.get(query) if vectors else None
            with factory() as session:
                started = time.perf_counter()
                hits = search.search(session, query, limit=3, query_vector=vector)
                found = time.perf_counter()
                CatalogueRepository(session).services([hit.service_id for hit in hits])
                loaded = time.perf_counter()
            searching.append((found - started) * 1000)
            answering.append((loaded - started) * 1000)
    return searching, answering


def nlu_vectors(search: CatalogueSearch) -> dict[str, Vector]:
    """Each benchmark query's vector as Rasa's featurizer hands it over (float16 in the
    parse data): the path of a message typed in a conversation."""
    if search.embedder is None:
        return {}
    vectors = {}
    for query in QUERIES:
        decoded = decode_vector(encode_vector(search.embedder.query(query)))
        if decoded is not None:
            vectors[query] = decoded
    return vectors


def _report(label: str, latencies: Sequence[float]) -> None:
    ordered = sorted(latencies)
    print(
        f"  {label:<62} n {len(ordered):>4}  p50 {statistics.median(ordered):6.1f} ms  "
        f"p95 {percentile(ordered, 0.95):6.1f} ms  p99 {percentile(ordered, 0.99):6.1f} ms"
    )


def run_search_benchmark(settings: Settings, total: int, rounds: int) -> int:
    """Print p50/p95 search latency for SQLite and PostgreSQL catalogues of `total` services."""
    targets: list[tuple[str, str, str | None]] = []
    folder = Path(tempfile.mkdtemp(prefix="search-bench-"))
    targets.append(("sqlite", f"sqlite:///{folder / 'catalogue.sqlite3'}", None))
    pg_name = f"cremona_bench_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'CREATE DATABASE "{pg_name}"')
        targets.append(
            ("postgresql", f"postgresql+psycopg://postgres@127.0.0.1:5432/{pg_name}", pg_name)
        )
    except psycopg.OperationalError as error:
        print(f"PostgreSQL not reachable ({error}); SQLite only")
    print(f"search benchmark: {total} services, {len(QUERIES)} queries x {rounds} rounds")
    try:
        for backend, url, _ in targets:
            upgrade(url)
            engine = make_engine(url)
            factory = make_session_factory(engine)
            started = time.perf_counter()
            generate_catalogue(factory, total)
            print(f"{backend}: generated in {time.perf_counter() - started:.0f}s")
            hybrid = default_search(settings.embedding_cache, settings.embedding_threads)
            for label, search, vectors in (
                ("lexical", CatalogueSearch(), None),
                (f"hybrid, e5 here ({settings.embedding_threads} thr)", hybrid, None),
                ("hybrid, e5 vector from the NLU", hybrid, nlu_vectors(hybrid)),
            ):
                searching, answering = measure(factory, search, rounds, vectors)
                _report(f"{backend} {label}: search", searching)
                _report(f"{backend} {label}: search + load 3 cards", answering)
            engine.dispose()
    finally:
        for _, _, name in targets:
            if name:
                with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
                    connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0
