"""Backups of the catalogue database and the tracker store, and restores that forget again.

`backup(settings, folder)` copies both databases into `folder` (SQLite: the online backup
API, consistent while the app runs; PostgreSQL: `pg_dump --format=custom`) with a manifest.
`restore(settings, folder)` puts them back (stop the app first), then erases again every
conversation the erasure ledger names and runs the retention job, so nothing erased or
expired after the backup comes back.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.privacy.erasure import erase_records, erase_trackers, ledger_of, tracker_exists
from bot.privacy.retention import run_retention
from bot.settings import Settings

MANIFEST = "manifest.json"
DATABASES = {"catalogue": "database_url", "tracker": "tracker_store_url"}
SENDER_TABLES = (
    "events",
    "handoff_request",
    "feedback",
    "unanswered_question",
    "outbound_message",
)


class BackupError(RuntimeError):
    """A backup or restore step failed; the message names the database and the step."""


@dataclass(frozen=True)
class RestoreReport:
    """What a restore did after putting the databases back."""

    backup_taken_at: dt.datetime
    erasures_reapplied: int
    expired_conversations: int


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    return Path(str(parsed.database)) if parsed.get_backend_name() == "sqlite" else None


def _libpq_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _sqlite_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    source_db = sqlite3.connect(source)
    target_db = sqlite3.connect(target)
    try:
        source_db.backup(target_db)
    finally:
        target_db.close()
        source_db.close()


def _run(command: list[str], what: str) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{what}: {command[0]} not found (install the PostgreSQL client)")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{what}: {command[0]} failed: {result.stderr.strip()[-500:]}")


def backup(settings: Settings, folder: Path) -> Path:
    """Copy both databases into `folder` (created); return the manifest's path."""
    folder.mkdir(parents=True, exist_ok=True)
    entries: dict[str, dict[str, str]] = {}
    for name, setting in DATABASES.items():
        url = getattr(settings, setting)
        path = _sqlite_path(url)
        if path is not None:
            if not path.is_file():
                continue  # e.g. no conversation yet: nothing to keep
            _sqlite_copy(path, folder / f"{name}.sqlite3")
            entries[name] = {"dialect": "sqlite", "file": f"{name}.sqlite3"}
        else:
            dump = folder / f"{name}.pgdump"
            _run(
                ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", _libpq_url(url)],
                f"{name} backup",
            )
            entries[name] = {"dialect": "postgresql", "file": dump.name}
    manifest = folder / MANIFEST
    taken_at = dt.datetime.now(dt.UTC).isoformat()
    manifest.write_text(json.dumps({"taken_at": taken_at, "databases": entries}, indent=2))
    return manifest


def _restore_one(url: str, entry: dict[str, str], folder: Path, name: str) -> None:
    source = folder / entry["file"]
    if not source.is_file():
        raise BackupError(f"{name} restore: {source} is missing")
    path = _sqlite_path(url)
    if entry["dialect"] == "sqlite":
        if path is None:
            raise BackupError(f"{name} restore: the backup is SQLite but the target is not")
        _sqlite_copy(source, path)
        return
    if path is not None:
        raise BackupError(f"{name} restore: the backup is PostgreSQL but the target is not")
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={_libpq_url(url)}",
            str(source),
        ],
        f"{name} restore",
    )


def known_senders(settings: Settings) -> set[str]:
    """Every sender id found in the restored tracker store and conversation records."""
    found: set[str] = set()
    for setting in DATABASES.values():
        url = getattr(settings, setting)
        if not tracker_exists(url):
            continue
        engine = create_engine(url)
        try:
            with engine.connect() as connection:
                for table in SENDER_TABLES:
                    try:
                        rows = connection.execute(text(f"SELECT DISTINCT sender_id FROM {table}"))
                    except SQLAlchemyError:
                        connection.rollback()
                        continue  # this table lives in the other database
                    found.update(str(row[0]) for row in rows)
        finally:
            engine.dispose()
    return found


def restore(settings: Settings, folder: Path) -> RestoreReport:
    """Put a backup back, then erase again what the ledger names and what has expired."""
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"restore: {manifest_path} not found (not a backup folder)")
    manifest = json.loads(manifest_path.read_text())
    for name, entry in manifest["databases"].items():
        _restore_one(getattr(settings, DATABASES[name]), entry, folder, name)
    erased = ledger_of(settings).erased_among(known_senders(settings))
    erase_records(settings, erased)
    erase_trackers(settings.tracker_store_url, erased)
    expired = run_retention(settings)
    return RestoreReport(
        dt.datetime.fromisoformat(manifest["taken_at"]), len(erased), expired.conversations
    )
