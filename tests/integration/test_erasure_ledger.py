"""The erasure ledger as a file and as a database of its own (SQLite, PostgreSQL): servers on
several hosts note erasures at the same time and every one is kept, as a keyed hash only."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.catalogue.db import make_engine
from bot.privacy.ledger import LEDGER_TABLE, DatabaseLedger, ErasureLedger, FileLedger
from bot.settings import PROJECT_ROOT
from tests.helpers import create_postgres_database, drop_postgres_database

KEY = "test-ledger-key-0123456789"
WRITERS = 3
ERASURES_EACH = 20
WRITER = """
import sys
from pathlib import Path
from bot.privacy.ledger import DatabaseLedger, FileLedger
kind, where, key, prefix, count = sys.argv[1:6]
ledger = FileLedger(Path(where), key) if kind == "file" else DatabaseLedger(where, key)
for number in range(int(count)):
    ledger.record(f"{prefix}-{number}")
"""


@pytest.fixture(params=["file", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(kind, path or URL) of an empty ledger."""
    if request.param == "file":
        yield "file", str(tmp_path / "privacy" / "erasure-ledger.jsonl")
    elif request.param == "sqlite":
        yield "database", f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    else:
        url, name = create_postgres_database()
        yield "database", url
        drop_postgres_database(name)


def _open(kind: str, where: str) -> ErasureLedger:
    return FileLedger(Path(where), KEY) if kind == "file" else DatabaseLedger(where, KEY)


def test_erasures_noted_by_several_servers_at_once_are_all_kept(
    ledger: tuple[str, str],
) -> None:
    kind, where = ledger
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, kind, where, KEY, f"web-{n}", str(ERASURES_EACH)],
            env=env,
        )
        for n in range(WRITERS)
    ]
    assert [writer.wait(timeout=120) for writer in writers] == [0] * WRITERS

    everyone = {f"web-{n}-{i}" for n in range(WRITERS) for i in range(ERASURES_EACH)}
    found = _open(kind, where)
    assert len(found.entries()) == WRITERS * ERASURES_EACH
    assert found.erased_among([*everyone, "web-never-erased"]) == everyone


def test_the_ledger_holds_keyed_hashes_and_answers_since_when(ledger: tuple[str, str]) -> None:
    kind, where = ledger
    store = _open(kind, where)
    sender = f"telegram-{uuid.uuid4().hex}"
    backup_time = dt.datetime.now(dt.UTC)
    store.record("web-before", at=backup_time - dt.timedelta(hours=1))
    store.record(sender, at=backup_time + dt.timedelta(minutes=5))

    assert store.erased_among([sender, "web-before"], since=backup_time) == {sender}
    assert store.erased_among([sender, "web-before"]) == {sender, "web-before"}
    assert _open(kind, where).erased_among([sender]) == {sender}  # survives reopening
    assert not FileLedger(Path("/nonexistent"), "other-key").erased_among([sender])
    stored = Path(where).read_text() if kind == "file" else " ".join(map(str, _rows(where)))
    assert sender not in stored and "web-before" not in stored


def test_a_ledger_with_another_key_recognises_nobody(ledger: tuple[str, str]) -> None:
    kind, where = ledger
    _open(kind, where).record("web-someone")
    other = (
        FileLedger(Path(where), "another-key")
        if kind == "file"
        else DatabaseLedger(where, "another-key")
    )
    assert other.erased_among(["web-someone"]) == set()


def _rows(url: str) -> list[tuple[str, str]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            query = select(LEDGER_TABLE.c.at, LEDGER_TABLE.c.digest)
            return [(str(at), str(digest)) for at, digest in connection.execute(query)]
    finally:
        engine.dispose()
