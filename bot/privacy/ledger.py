"""The erasure ledger: which conversations were erased, so a restored backup forgets them again.

An entry is a keyed hash of the pseudonymous sender id (never the id itself) and the time of
the erasure. On one host it is a file, one JSON line per erasure (ERASURE_LEDGER); with
servers on several hosts it is a table in a database of its own (ERASURE_LEDGER_URL) that
every action server writes to. Either way keep it apart from the backups: a restore reads it
to erase again what was erased after the backup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table, insert, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from bot.catalogue.db import make_engine

DOMAIN = b"cremona.erasure-ledger:"


@dataclass(frozen=True)
class LedgerEntry:
    """One erasure: when, and the keyed hash of the sender id."""

    at: dt.datetime
    digest: str


def sender_digest(key: str, sender_id: str) -> str:
    """The ledger's keyed hash of a sender id (without the key it reveals nothing)."""
    return hmac.new(key.encode(), DOMAIN + sender_id.encode(), hashlib.sha256).hexdigest()


class ErasureLedger:
    """Where erasures are noted; `_append` and `entries` are the storage's."""

    key: str

    def record(self, sender_id: str, at: dt.datetime | None = None) -> None:
        """Note that `sender_id` was erased (as its keyed hash), durably, before returning."""
        when = (at or dt.datetime.now(dt.UTC)).isoformat()
        self._append(when, sender_digest(self.key, sender_id))

    def _append(self, at: str, digest: str) -> None:
        """Store one entry (ISO 8601 time, keyed hash)."""
        raise NotImplementedError

    def entries(self) -> list[LedgerEntry]:
        """Every erasure noted so far."""
        raise NotImplementedError

    def erased_among(self, sender_ids: Iterable[str], since: dt.datetime | None = None) -> set[str]:
        """The ids of `sender_ids` that the ledger says were erased (after `since`, if given)."""
        digests = {e.digest for e in self.entries() if since is None or e.at >= since}
        return {s for s in sender_ids if sender_digest(self.key, s) in digests}


class FileLedger(ErasureLedger):
    """Append-only file of erasures (one JSON object per line)."""

    def __init__(self, path: Path, key: str) -> None:
        self.path = path
        self.key = key

    def _append(self, at: str, digest: str) -> None:
        """One JSON line, appended and flushed to disk at once."""
        line = json.dumps({"at": at, "id": digest}) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, line.encode())
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    def entries(self) -> list[LedgerEntry]:
        """Every erasure noted so far (an unreadable line is skipped)."""
        if not self.path.is_file():
            return []
        found: list[LedgerEntry] = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                data = json.loads(line)
                found.append(LedgerEntry(dt.datetime.fromisoformat(data["at"]), str(data["id"])))
            except (ValueError, KeyError, TypeError):
                continue
        return found


LEDGER_TABLE = Table(
    "erasure_ledger",
    MetaData(),
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False),  # ISO 8601 with offset, the same on every engine
    Column("digest", String(64), nullable=False),
)


class DatabaseLedger(ErasureLedger):
    """A table of erasures in its own database (SQLite or PostgreSQL), shared by every host."""

    def __init__(self, url: str, key: str) -> None:
        self.url = url
        self.key = key

    def _append(self, at: str, digest: str) -> None:
        """Insert one row and commit."""
        engine = self._engine()
        try:
            with engine.begin() as connection:
                connection.execute(insert(LEDGER_TABLE).values(at=at, digest=digest))
        finally:
            engine.dispose()

    def entries(self) -> list[LedgerEntry]:
        """Every row, oldest first."""
        engine = self._engine()
        try:
            with engine.connect() as connection:
                query = select(LEDGER_TABLE.c.at, LEDGER_TABLE.c.digest).order_by(LEDGER_TABLE.c.id)
                rows = connection.execute(query).all()
        finally:
            engine.dispose()
        return [LedgerEntry(dt.datetime.fromisoformat(at), digest) for at, digest in rows]

    def _engine(self) -> Engine:
        """An engine on the ledger database, with the table created on first use."""
        engine = make_engine(self.url)
        try:
            _create_table(engine)
        except Exception:
            engine.dispose()
            raise
        return engine


def _create_table(engine: Engine) -> None:
    """Create the ledger table unless it exists (another server may be creating it too)."""
    if inspect(engine).has_table(LEDGER_TABLE.name):
        return
    try:
        LEDGER_TABLE.metadata.create_all(engine)
    except DBAPIError:  # another server created it at the same moment
        if not inspect(engine).has_table(LEDGER_TABLE.name):
            raise
