"""Faults under light load: people get an answer or the short apology in their language,
never silence or a server error; the service recovers by itself; no tracker is corrupted.

The Redis outage lasts PRODUCTION_REDIS_OUTAGE_SECONDS (5 s by default, 60 for the full run).
The Rasa server is killed last: the whole-stack restart test (test_restart.py) brings it back.
"""

from __future__ import annotations

import os
import signal
import time

import httpx
import pytest

from bot.runner.stack import Stack
from tests.production.conftest import Production
from tests.production.trackers import corruption
from tests.production.users import LightLoad

pytestmark = [pytest.mark.engine, pytest.mark.production]
REDIS_OUTAGE_SECONDS = float(os.environ.get("PRODUCTION_REDIS_OUTAGE_SECONDS", "5"))
RECOVERY_SECONDS = 30.0


def _kill(stack: Stack, name: str) -> None:
    process = stack.by_name(name)
    os.killpg(process.pid, signal.SIGKILL)
    process.popen.wait(timeout=10)


def _check(load: LightLoad, production: Production, healed: float, within: float) -> None:
    bad = [o for o in load.outcomes() if o.kind == "bad"]
    assert not bad, bad[:5]
    assert load.wait_all_answered_since(healed, time.monotonic() + within), [
        (u.language, [o.kind for o in u.outcomes[-8:]]) for u in load.users
    ]
    assert corruption(production.settings.tracker_store_url) == []


def test_killing_an_action_server(production: Production) -> None:
    with LightLoad(production.settings.web_url) as load:
        time.sleep(3)
        _kill(production.stack, "actions-1")
        killed = time.monotonic()
        time.sleep(5)
        _check(load, production, killed, RECOVERY_SECONDS)  # actions-2 serves, nothing restarted
    production.stack.restart("actions-1")
    health = httpx.get(production.settings.action_server_url.replace("/webhook", "/health"))
    assert all(health.json()["backends"].values())


def test_restarting_postgresql(production: Production) -> None:
    with LightLoad(production.settings.web_url) as load:
        time.sleep(3)
        production.postgres.stop("fast")  # every client connection is cut
        time.sleep(3)
        production.postgres.start()
        restarted = time.monotonic()
        _check(load, production, restarted, RECOVERY_SECONDS)


def test_cutting_redis(production: Production) -> None:
    with LightLoad(production.settings.web_url) as load:
        time.sleep(3)
        production.redis.kill()  # Rasa's lock store is gone (and every lock in it)
        time.sleep(REDIS_OUTAGE_SECONDS)
        during = [o.kind for o in load.outcomes() if o.at > time.monotonic() - 2]
        production.redis.start()
        back = time.monotonic()
        assert "unavailable" in during  # the apology, not silence
        _check(load, production, back, RECOVERY_SECONDS)


def test_killing_a_rasa_server(production: Production) -> None:
    settings = production.settings
    with LightLoad(settings.web_url) as load:
        time.sleep(3)
        _kill(production.stack, "rasa-1")
        killed = time.monotonic()
        time.sleep(5)
        # a turn rasa-1 was running keeps its conversation's ticket until the lock expires
        within = settings.lock_lifetime_seconds + settings.engine_timeout_seconds + 10
        _check(load, production, killed, within)
