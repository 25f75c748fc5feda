"""One production-profile stack for every test here: 2 Rasa servers, 2 action servers
behind the balancer, the web app, on a private PostgreSQL and a private Redis that the
fault tests may stop, restart and cut."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.catalogue.setup import prepare_for_serving
from bot.runner.model import ensure_model
from bot.runner.production import ensure_database
from bot.runner.stack import Stack
from bot.settings import Settings
from tests.helpers import free_port, stack_settings
from tests.production.servers import PrivatePostgres, PrivateRedis


@dataclass
class Production:
    """The running production profile and the servers under it."""

    settings: Settings
    stack: Stack
    postgres: PrivatePostgres
    redis: PrivateRedis


@pytest.fixture(scope="session")
def private_postgres() -> Iterator[PrivatePostgres]:
    """A PostgreSQL cluster of our own, on a free port."""
    server = PrivatePostgres()
    server.start()
    yield server
    server.remove()


@pytest.fixture(scope="session")
def private_redis() -> Iterator[PrivateRedis]:
    """A redis-server of our own, on a free port."""
    server = PrivateRedis()
    server.start()
    yield server
    server.kill()


def _loopback(ports: int) -> str:
    return ",".join(f"http://127.0.0.1:{free_port()}" for _ in range(ports))


@pytest.fixture(scope="session")
def production(
    private_postgres: PrivatePostgres, private_redis: PrivateRedis
) -> Iterator[Production]:
    """The production profile, started once for the whole directory."""
    data_dir = Path(tempfile.mkdtemp(prefix="cremona-production-"))
    settings = stack_settings(
        data_dir,
        deployment_profile="production",
        rasa_url=_loopback(2),
        action_backend_urls=",".join(f"{url}/webhook" for url in _loopback(2).split(",")),
        database_url=private_postgres.url("catalogue"),
        tracker_store_url=private_postgres.url("tracker"),
        redis_url=private_redis.url,
    )
    for url in (settings.database_url, settings.tracker_store_url):
        ensure_database(url)
    prepare_for_serving(settings)
    stack = Stack(settings, ensure_model(settings))
    stack.start()
    try:
        yield Production(settings, stack, private_postgres, private_redis)
    finally:
        stack.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
