"""Fixtures: catalogue databases (SQLite and PostgreSQL) and a real running stack."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.catalogue.db import make_engine, make_session_factory
from bot.catalogue.setup import prepare_catalogue, prepare_for_serving
from bot.runner.model import ensure_model
from bot.runner.stack import Stack
from bot.settings import Settings
from tests.helpers import create_postgres_database, drop_postgres_database, stack_settings

collect_ignore = ["engine"]  # run by `make engine-test` in the engine environment


@pytest.fixture(scope="session")
def demo_sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated SQLite catalogue with the demo loaded (shared, read-only use), its search
    vectors cached with every core (searching it computes none, one thread at a time)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'catalogue.sqlite3'}"
    prepare_for_serving(Settings(database_url=url))
    return url


@pytest.fixture(scope="session")
def demo_sessions(demo_sqlite_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on the shared demo catalogue."""
    engine = make_engine(demo_sqlite_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def demo_catalogue(
    request: pytest.FixtureRequest, demo_sessions: sessionmaker[Session]
) -> Iterator[sessionmaker[Session]]:
    """The demo catalogue on SQLite and on PostgreSQL (shared, read-only use)."""
    if request.param == "sqlite":
        yield demo_sessions
        return
    url, name = create_postgres_database()
    prepare_catalogue(url)
    engine = make_engine(url)
    try:
        yield make_session_factory(engine)
    finally:
        engine.dispose()
        drop_postgres_database(name)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database on SQLite and on the local PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'catalogue.sqlite3'}"
        return
    url, name = create_postgres_database()
    try:
        yield url
    finally:
        drop_postgres_database(name)


@pytest.fixture(scope="session")
def postgres_demo_template() -> Iterator[str]:
    """A migrated PostgreSQL database with the demo loaded, cloned by `fresh_demo_url`."""
    url, name = create_postgres_database()
    prepare_catalogue(url)
    yield name
    drop_postgres_database(name)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fresh_demo_url(
    request: pytest.FixtureRequest, tmp_path: Path, demo_sqlite_url: str
) -> Iterator[str]:
    """A private, writable copy of the migrated demo catalogue on SQLite and PostgreSQL
    (copied from a template: migrating and loading the demo each time costs ~10 s)."""
    if request.param == "sqlite":
        copy = tmp_path / "catalogue.sqlite3"
        source = sqlite3.connect(make_url(demo_sqlite_url).database or "")
        target = sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        yield f"sqlite:///{copy}"
        return
    template = request.getfixturevalue("postgres_demo_template")
    url, name = create_postgres_database(template=template)
    try:
        yield url
    finally:
        drop_postgres_database(name)


@pytest.fixture(scope="session")
def stack_factory(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Settings, Stack]]:
    """A real stack (Rasa server, action server, web app) on free ports with the demo catalogue."""
    settings = stack_settings(tmp_path_factory.mktemp("stack"))
    prepare_for_serving(settings)
    stack = Stack(settings, ensure_model(settings))
    stack.start()
    try:
        yield settings, stack
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def running_stack(stack_factory: tuple[Settings, Stack]) -> Settings:
    """Settings of the running stack."""
    return stack_factory[0]
