"""`python -m bot run-production`: the production profile on this machine, supervised."""

from __future__ import annotations

import logging
import signal
import threading
import time

from bot.runner.stack import Stack
from bot.settings import Settings

logger = logging.getLogger(__name__)
RESPAWN_INTERVAL_SECONDS = 5.0  # a process that keeps crashing is started at most this often
LOCAL_DEFAULTS = {
    "database_url": "postgresql+psycopg://postgres@127.0.0.1:5432/cremona",
    "tracker_store_url": "postgresql+psycopg://postgres@127.0.0.1:5432/cremona_tracker",
    "redis_url": "redis://127.0.0.1:6379/0",
}


def production_settings() -> Settings:
    """Settings from the environment with DEPLOYMENT_PROFILE=production; the local PostgreSQL
    and Redis fill in the URLs the environment leaves unset (or on SQLite)."""
    base = Settings()
    overrides: dict[str, str] = {"deployment_profile": "production"}
    for name, default in LOCAL_DEFAULTS.items():
        value = getattr(base, name)
        if not value or value.startswith("sqlite"):
            overrides[name] = default
    return Settings(**overrides)  # type: ignore[arg-type]


def prepared_stack(settings: Settings) -> Stack:
    """Create the databases if missing, migrate the catalogue, train if needed."""
    from bot.catalogue.setup import prepare_for_serving
    from bot.runner.model import ensure_model
    from bot.runner.production import ensure_database

    ledger = settings.erasure_ledger_url
    for url in (settings.database_url, settings.tracker_store_url, ledger):
        if url.startswith("postgresql"):
            ensure_database(url)
    count = prepare_for_serving(settings)
    print(f"catalogue: {count} services (PostgreSQL)")
    return Stack(settings, ensure_model(settings))


def describe(settings: Settings, stack: Stack) -> str:
    """The URLs of the running profile."""
    lines = [
        f"  web app    {settings.web_url}  (health: {settings.web_url}/health)",
        *(f"  rasa       {url}" for url in settings.rasa_urls),
        f"  balancer   {settings.action_server_url}  (action endpoint of every Rasa server)",
        *(f"  actions    {url}" for url in settings.action_backends),
        f"  lock store {settings.lock_store_url}",
        f"  timeouts   action {settings.action_timeout_seconds:g}s < turn "
        f"{settings.turn_timeout_seconds}s < lock {settings.lock_lifetime_seconds}s",
        f"  logs       {stack.log_dir}",
    ]
    return "\n".join(lines)


def run_production() -> int:
    """Start every process, wait for their health checks, start again any that dies; Ctrl-C
    stops everything."""
    settings = production_settings()
    stack = prepared_stack(settings)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    print(
        f"starting {len(settings.rasa_urls)} Rasa servers, "
        f"{len(settings.action_backends)} action servers, the balancer and the web app ..."
    )
    stack.start()
    print(f"ready:\n{describe(settings, stack)}\npress Ctrl-C to stop")
    respawned: dict[str, float] = {}
    try:
        while not stopping.wait(1.0):
            for process in list(stack.processes):
                name = process.spec.name
                due = respawned.get(name, 0.0) + RESPAWN_INTERVAL_SECONDS
                if not process.running() and time.monotonic() >= due:
                    print(f"{name} stopped unexpectedly: starting it again (see {stack.log_dir})")
                    stack.respawn(name)  # no waiting: other processes are watched meanwhile
                    respawned[name] = time.monotonic()
    except KeyboardInterrupt:
        pass
    finally:
        print("stopping ...")
        stack.stop()
        print("stopped")
    return 0
