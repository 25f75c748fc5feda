"""The production profile: N Rasa servers, M action servers behind a balancer, PostgreSQL, Redis.

Timeouts are chained so that one conversation is never processed twice at once:
ACTION_TIMEOUT_SECONDS (the balancer cuts an action call) < TURN_TIMEOUT_SECONDS (Rasa's
`--response-timeout`: Sanic cancels the turn, waiting for the lock included, and the
ticket is released) < LOCK_LIFETIME_SECONDS (`TICKET_LOCK_LIFETIME`: when a ticket expires,
the next turn of the conversation may start).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from sqlalchemy.engine import make_url

from bot.runner.processes import ProcessSpec
from bot.runner.stack import (
    actions_spec,
    common_env,
    rasa_spec,
    telegram_spec,
    web_spec,
)
from bot.settings import PROJECT_ROOT, Settings

ENDPOINTS = PROJECT_ROOT / "endpoints-production.yml"
DATABASE_NAME = re.compile(r"^[A-Za-z0-9_]{1,63}$")


def tracker_env(settings: Settings) -> dict[str, str]:
    """Variables that endpoints-production.yml reads for the PostgreSQL tracker store."""
    url = make_url(settings.tracker_store_url)
    return {
        "TRACKER_HOST": url.host or "127.0.0.1",
        "TRACKER_PORT": str(url.port or 5432),
        "TRACKER_DB": url.database or "",
        "TRACKER_USER": url.username or "",
        "TRACKER_PASSWORD": url.password or "",
    }


def lock_store_env(settings: Settings) -> dict[str, str]:
    """Variables for Rasa's Redis lock store, and the ticket lifetime Rasa reads."""
    url = urlsplit(settings.lock_store_url)
    prefix = re.sub(r"[^A-Za-z0-9]", "", settings.redis_key_prefix) or "cremona"
    return {
        "LOCK_STORE_HOST": url.hostname or "127.0.0.1",
        "LOCK_STORE_PORT": str(url.port or 6379),
        "LOCK_STORE_DB": url.path.strip("/") or "0",
        "LOCK_STORE_PASSWORD": url.password or "",
        "LOCK_STORE_PREFIX": prefix,
        "TICKET_LOCK_LIFETIME": str(settings.lock_lifetime_seconds),
    }


def ensure_database(url: str) -> bool:
    """Create the PostgreSQL database of `url` when it is missing; True if it was created."""
    parsed = make_url(url)
    name = parsed.database or ""
    if not DATABASE_NAME.match(name):
        raise ValueError(f"database name {name!r}: use letters, digits and _ only")
    admin = parsed.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as db:
        if db.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return False
        db.execute(f'CREATE DATABASE "{name}"')
    return True


def balancer_spec(settings: Settings, env: dict[str, str]) -> ProcessSpec:
    """The loopback balancer that Rasa's action endpoint points at."""
    url = urlsplit(settings.action_server_url)
    return ProcessSpec(
        name="balancer",
        command=[
            sys.executable,
            "-m",
            "uvicorn",
            "bot.runner.balancer:create_app",
            "--factory",
            "--host",
            url.hostname or "127.0.0.1",
            "--port",
            str(url.port),
            "--log-level",
            "warning",
        ],
        ready_url=f"{url.scheme}://{url.netloc}/health",
        env=env,
    )


def production_specs(settings: Settings, model: Path) -> list[ProcessSpec]:
    """Action servers, their balancer, the web app, the Rasa servers (and Telegram)."""
    common = common_env(settings)
    specs = [
        actions_spec(settings, f"actions-{n}", url, common)
        for n, url in enumerate(settings.action_backends, start=1)
    ]
    specs += [balancer_spec(settings, common), web_spec(settings, common)]
    rasa_env = {**common, **tracker_env(settings), **lock_store_env(settings)}
    specs += [
        rasa_spec(
            settings,
            model,
            name=f"rasa-{n}",
            url=url,
            endpoints=ENDPOINTS,
            env=rasa_env,
            extra_args=["--response-timeout", str(settings.turn_timeout_seconds)],
        )
        for n, url in enumerate(settings.rasa_urls, start=1)
    ]
    if settings.telegram_bot_token and settings.telegram_mode == "polling":
        specs.append(telegram_spec(settings, common))
    return specs
