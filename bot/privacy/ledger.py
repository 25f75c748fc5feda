"""The erasure ledger: which conversations were erased, so a restored backup forgets them again.

An entry is a keyed hash of the pseudonymous sender id (never the id itself) and the time of
the erasure, one JSON line per erasure in ERASURE_LEDGER. Keep that file on storage apart
from the backups: a restore reads it to erase again what was erased after the backup.
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
    """Append-only file of erasures (one JSON object per line)."""

    def __init__(self, path: Path, key: str) -> None:
        self.path = path
        self.key = key

    def record(self, sender_id: str, at: dt.datetime | None = None) -> None:
        """Note that `sender_id` was erased (appended and flushed to disk at once)."""
        when = (at or dt.datetime.now(dt.UTC)).isoformat()
        line = json.dumps({"at": when, "id": sender_digest(self.key, sender_id)}) + "\n"
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

    def erased_among(self, sender_ids: Iterable[str], since: dt.datetime | None = None) -> set[str]:
        """The ids of `sender_ids` that the ledger says were erased (after `since`, if given)."""
        digests = {e.digest for e in self.entries() if since is None or e.at >= since}
        return {s for s in sender_ids if sender_digest(self.key, s) in digests}
