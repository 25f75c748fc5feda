"""The lock outlives the worst-case turn, so one conversation is never processed twice at once.

Read from what really runs: the process specs of the production profile, its endpoints file
and Rasa's own lock store module (engine environment).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from bot.runner.production import ENDPOINTS, production_specs
from bot.settings import Settings

pytestmark = pytest.mark.production

PRODUCTION = {
    "deployment_profile": "production",
    "database_url": "postgresql+psycopg://postgres@127.0.0.1:5432/cremona",
    "tracker_store_url": "postgresql+psycopg://postgres@127.0.0.1:5432/cremona_tracker",
    "redis_url": "redis://127.0.0.1:6379/0",
}


def _rasa_lock_lifetime(settings: Settings, lifetime: str) -> float:
    """The ticket lifetime Rasa's lock store module computes from its environment."""
    python = Path(settings.rasa_executable).with_name("python")
    result = subprocess.run(
        [str(python), "-c", "from rasa.core.lock_store import LOCK_LIFETIME; print(LOCK_LIFETIME)"],
        env={"TICKET_LOCK_LIFETIME": lifetime, "RASA_TELEMETRY_ENABLED": "false"},
        capture_output=True,
        text=True,
        check=True,
    )
    return float(result.stdout.strip().splitlines()[-1])


def test_action_timeout_is_shorter_than_a_turn_which_is_shorter_than_the_lock() -> None:
    settings = Settings(**PRODUCTION)  # type: ignore[arg-type]
    specs = {spec.name: spec for spec in production_specs(settings, Path("model.tar.gz"))}
    rasa = [spec for name, spec in specs.items() if name.startswith("rasa-")]
    assert len(rasa) == 2 and len([n for n in specs if n.startswith("actions-")]) == 2

    endpoints = yaml.safe_load(ENDPOINTS.read_text())
    lock_store = "bot.engine_lock.atomic_redis_lock_store.AtomicRedisLockStore"
    assert endpoints["lock_store"]["type"] == lock_store  # atomic across the Rasa servers
    assert endpoints["action_endpoint"]["url"] == "${ACTION_SERVER_URL}"
    balancer = specs["balancer"]
    assert balancer.env["ACTION_SERVER_URL"] == settings.action_server_url  # Rasa -> balancer
    action_timeout = float(balancer.env["ACTION_TIMEOUT_SECONDS"])  # the balancer cuts calls

    for spec in rasa:
        command = list(spec.command)
        turn = float(command[command.index("--response-timeout") + 1])  # Sanic cancels the turn
        lock = _rasa_lock_lifetime(settings, spec.env["TICKET_LOCK_LIFETIME"])
        assert action_timeout < turn < lock, (action_timeout, turn, lock)
    assert (action_timeout, turn, lock) == (10.0, 45.0, 60.0)
    assert _rasa_lock_lifetime(settings, "97") == 97  # Rasa really reads the variable


def test_a_broken_timeout_chain_is_refused() -> None:
    with pytest.raises(ValueError, match="ACTION_TIMEOUT_SECONDS < TURN_TIMEOUT_SECONDS"):
        Settings(**PRODUCTION, turn_timeout_seconds=90)  # type: ignore[arg-type]


def test_production_needs_postgresql_and_redis() -> None:
    with pytest.raises(ValueError, match="TRACKER_STORE_URL must be a PostgreSQL URL"):
        Settings(**{**PRODUCTION, "tracker_store_url": "sqlite:///tracker.sqlite3"})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="REDIS_URL"):
        Settings(**{**PRODUCTION, "redis_url": ""})  # type: ignore[arg-type]
