"""Rasa's Redis lock store with every read-modify-write done as one Redis transaction.

Rasa's own `RedisLockStore` reads the ticket lock, changes it in Python and writes it
back in separate commands. That is safe inside one Rasa server (its event loop runs one
step at a time) but not across two: two servers can issue the same ticket number, and one
server finishing a turn can delete the lock another server just queued a ticket on, so
that server's turn fails with `LockError` and the user gets no answer. Here each change
(issue a ticket, drop expired tickets, finish a ticket and delete the lock if nobody
waits) runs under `WATCH`/`MULTI`/`EXEC` and is retried if another server changed the
lock meanwhile. The key also expires with its last ticket, so a server killed mid-turn
leaves nothing behind.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.client import Pipeline

LockChange = Callable[[TicketLock | None], tuple[TicketLock | None, int]]


class AtomicRedisLockStore(RedisLockStore):
    """A `RedisLockStore` whose ticket changes cannot interleave between servers."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        """Takes endpoints.yml's `lock_store` section (`url` is the Redis host)."""
        settings: dict[str, Any] = dict(endpoint_config.kwargs)
        super().__init__(host=endpoint_config.url or "localhost", **settings)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Queue a new ticket on the conversation's lock, creating the lock if needed."""

        def issue(lock: TicketLock | None) -> tuple[TicketLock | None, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        """Drop the expired tickets of the conversation's lock."""

        def drop_expired(lock: TicketLock | None) -> tuple[TicketLock | None, int]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, 0

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Remove one ticket; the lock goes when no ticket is left on it."""

        def finish(lock: TicketLock | None) -> tuple[TicketLock | None, int]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, 0

        self._change(conversation_id, finish)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Finish the ticket and delete the lock if nobody waits, in one transaction."""
        self.finish_serving(conversation_id, ticket_number)

    def _change(self, conversation_id: str, change: LockChange) -> int:
        """Apply `change` to the stored lock atomically; returns what `change` returned."""
        key = self.key_prefix + conversation_id

        def attempt(pipe: Pipeline) -> int:
            stored = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(stored)) if stored else None
            changed, result = change(lock)
            pipe.multi()
            if changed is None or not changed.is_someone_waiting():
                pipe.delete(key)
            else:
                pipe.set(key, changed.dumps(), ex=_seconds_to_last_expiry(changed))
            return result

        result: int = self.red.transaction(attempt, key, value_from_callable=True)
        return result


def _seconds_to_last_expiry(lock: TicketLock) -> int:
    """Whole seconds until the lock's last ticket expires (at least one)."""
    last = max(ticket.expires for ticket in lock.tickets)
    return max(1, math.ceil(last - time.time()) + 1)
