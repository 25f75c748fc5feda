"""The retention job and backup/restore through the CLI, on SQLite and PostgreSQL: old
conversations go with everything linked; a restore erases again what was erased after
the backup (erasure ledger) and what has expired meanwhile."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.privacy.erasure import erase_sender, ledger_of
from bot.privacy.ledger import DatabaseLedger, FileLedger
from bot.runner.stack import settings_env
from bot.settings import PROJECT_ROOT, Settings
from tests.helpers import create_postgres_database, drop_postgres_database
from tests.privacy.tracker_rows import add_conversation, rows_of

NOW = dt.datetime.now(dt.UTC)


@pytest.fixture
def settings(fresh_demo_url: str, tmp_path: Path) -> Iterator[Settings]:
    """Private catalogue (SQLite or PostgreSQL, like the tracker store) and ledger: a file
    with SQLite, a database of its own with PostgreSQL (as with servers on several hosts)."""
    names: list[str] = []
    if fresh_demo_url.startswith("postgresql"):
        tracker_url, tracker_db = create_postgres_database()
        ledger_url, ledger_db = create_postgres_database()
        names += [tracker_db, ledger_db]
    else:
        tracker_url, ledger_url = f"sqlite:///{tmp_path / 'tracker.sqlite3'}", ""
    yield Settings(
        app_env="test",
        data_dir=tmp_path,
        database_url=fresh_demo_url,
        tracker_store_url=tracker_url,
        erasure_ledger_url=ledger_url,
        pseudonym_key="test-pseudonym-key-" + uuid.uuid4().hex,
    )  # type: ignore[call-arg]
    for name in names:
        drop_postgres_database(name)


def _bot(settings: Settings, *args: str) -> str:
    env = {**os.environ, **settings_env(settings), "PYTHONPATH": str(PROJECT_ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", *args], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _sender() -> str:
    return f"web-{uuid.uuid4().hex}"


def _gone(counts: dict[str, int]) -> bool:
    return not any(counts.values())


def test_retention_erases_inactive_conversations_with_everything_linked(
    settings: Settings,
) -> None:
    old, recent = _sender(), _sender()
    urls = (settings.tracker_store_url, settings.database_url)
    add_conversation(*urls, old, NOW - dt.timedelta(days=91))
    add_conversation(*urls, recent, NOW - dt.timedelta(days=89))
    assert "would erase 1 conversation" in _bot(settings, "retention", "--dry-run")
    assert all(rows_of(*urls, old).values())
    assert "erased 1 conversation" in _bot(settings, "retention")
    assert _gone(rows_of(*urls, old))
    assert all(rows_of(*urls, recent).values())
    assert "erased 1 conversation" in _bot(settings, "retention", "--days", "30")
    assert _gone(rows_of(*urls, recent))


def test_a_restore_erases_again_what_was_erased_after_the_backup(
    settings: Settings, tmp_path: Path
) -> None:
    urls = (settings.tracker_store_url, settings.database_url)
    kept, erased, expiring = _sender(), _sender(), _sender()
    add_conversation(*urls, kept, NOW - dt.timedelta(days=1))
    add_conversation(*urls, erased, NOW - dt.timedelta(days=1))
    add_conversation(*urls, expiring, NOW - dt.timedelta(days=89, hours=23, minutes=59))
    folder = tmp_path / "backup-1"
    _bot(settings, "backup", str(folder))
    assert (folder / "manifest.json").is_file()
    erase_sender(settings, erased)  # "delete my data" after the backup
    assert _gone(rows_of(*urls, erased))
    later = settings.model_copy(update={"retention_days": 89})  # time has passed
    out = _bot(later, "restore", str(folder))
    assert "1 conversation(s) from the erasure ledger" in out and "1 expired" in out
    assert _gone(rows_of(*urls, erased))
    assert _gone(rows_of(*urls, expiring))
    assert all(rows_of(*urls, kept).values())
    ledger = ledger_of(settings)
    assert isinstance(ledger, DatabaseLedger if settings.erasure_ledger_url else FileLedger)
    assert len(ledger.entries()) == 1
    assert erased not in {entry.digest for entry in ledger.entries()}  # a keyed hash only


def test_a_restore_refuses_a_folder_that_is_not_a_backup(
    settings: Settings, tmp_path: Path
) -> None:
    env = {**os.environ, **settings_env(settings), "PYTHONPATH": str(PROJECT_ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "restore", str(tmp_path / "nothing")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1 and "manifest.json" in result.stderr
