"""The conversation lock shared by several Rasa servers, on a real redis-server.

Two store objects stand for two Rasa servers; threads stand for their concurrent turns.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import threading
import time
from collections.abc import Iterator

import pytest
import redis
from rasa.core.lock_store import LockStore
from rasa.utils.endpoints import EndpointConfig

from bot.engine_lock.atomic_redis_lock_store import AtomicRedisLockStore

STORE_TYPE = "bot.engine_lock.atomic_redis_lock_store.AtomicRedisLockStore"
SERVERS = 2
TURNS_PER_SERVER = 3
TURNS_EACH = 40


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def redis_port() -> Iterator[int]:
    """A throwaway redis-server of this test's own."""
    port = _free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    yield port
    server.kill()
    server.wait(timeout=10)


def _store(port: int, prefix: str = "test") -> LockStore:
    """Built the way Rasa builds it from endpoints-production.yml's `lock_store`."""
    config = EndpointConfig(
        url="127.0.0.1", type=STORE_TYPE, port=port, db=0, password="", key_prefix=prefix
    )
    return LockStore.create(config)


def test_rasa_builds_the_store_from_the_endpoint_settings(redis_port: int) -> None:
    store = _store(redis_port, prefix="built")
    assert isinstance(store, AtomicRedisLockStore)
    assert store.key_prefix == "built:lock:"
    assert store.red.connection_pool.connection_kwargs["port"] == redis_port


def test_turns_of_one_conversation_on_two_servers_never_overlap_and_never_fail(
    redis_port: int,
) -> None:
    stores = [_store(redis_port) for _ in range(SERVERS)]
    conversation = "burst"
    inside: list[int] = []  # turns holding the lock right now
    overlaps: list[list[int]] = []
    failures: list[BaseException] = []
    done: list[int] = []
    guard = threading.Lock()

    async def turns(store: LockStore, worker: int) -> None:
        for turn in range(TURNS_EACH):
            async with store.lock(conversation, lock_lifetime=30, wait_time_in_seconds=0.001):
                with guard:
                    inside.append(worker)
                    if len(inside) > 1:
                        overlaps.append(list(inside))
                await asyncio.sleep(0)
                time.sleep(0.0005)  # work that holds the lock
                with guard:
                    inside.remove(worker)
                    done.append(turn)

    def run(store: LockStore, worker: int) -> None:
        try:
            asyncio.run(turns(store, worker))
        except BaseException as error:  # a LockError is what the user would see as silence
            failures.append(error)

    threads = [
        threading.Thread(target=run, args=(store, index * 10 + slot))
        for index, store in enumerate(stores)
        for slot in range(TURNS_PER_SERVER)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    assert overlaps == []
    assert len(done) == SERVERS * TURNS_PER_SERVER * TURNS_EACH
    assert stores[0].get_lock(conversation) is None  # nobody waits: the lock is gone


def test_a_ticket_number_is_never_issued_twice(redis_port: int) -> None:
    stores = [_store(redis_port, prefix="tickets") for _ in range(SERVERS)]
    issued: list[int] = []

    def issue(store: LockStore) -> None:
        for _ in range(100):
            issued.append(store.issue_ticket("numbers", lock_lifetime=30))

    threads = [threading.Thread(target=issue, args=(store,)) for store in stores * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(issued) == list(range(len(threads) * 100))  # Rasa numbers from 0


def test_the_lock_key_expires_with_its_last_ticket(redis_port: int) -> None:
    store = _store(redis_port, prefix="expiry")
    ticket = store.issue_ticket("crashed", lock_lifetime=5)
    key = "expiry:lock:crashed"
    assert 0 < store.red.ttl(key) <= 6  # a server killed now leaves nothing for long

    store.cleanup("crashed", ticket)
    assert store.red.exists(key) == 0
