"""Uploaded HSDS packages wait in a staging folder between the validation report and "confirm".

Nothing is written to the catalogue until the person who saw the report confirms it; the
staged file is identified by a random token kept in their session and checked by its hash.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.catalogue.hsds.importer import ImportProblem, ImportRejectedError, import_package
from bot.catalogue.hsds.package import PackageFormatError, read_rows
from bot.catalogue.models import Location, Organization, Service, TaxonomyTerm

SUFFIXES = (".json", ".zip")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
STAGING_FOLDER = "admin-imports"
COMPARED: dict[str, Any] = {
    "organization": Organization.id,
    "service": Service.id,
    "location": Location.id,
    "taxonomy_term": TaxonomyTerm.id,
}  # table -> its id column


@dataclass(frozen=True)
class StagedImport:
    """An uploaded package on disk, waiting for confirmation."""

    token: str
    filename: str
    path: Path
    sha256: str


@dataclass
class ImportPlan:
    """What a valid package would do: rows per table, and records created vs updated."""

    counts: dict[str, int] = field(default_factory=dict)
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)


class UploadError(ValueError):
    """The upload itself is unusable (`code` names the problem for the page)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def staging_dir(data_dir: Path) -> Path:
    """Where staged uploads live (created on demand)."""
    folder = data_dir / STAGING_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stage(data: bytes, filename: str, data_dir: Path) -> StagedImport:
    """Keep an upload under a random name; only .json (inline data) or .zip (CSV) packages."""
    suffix = Path(filename).suffix.lower()
    if not data:
        raise UploadError("empty_file")
    if suffix not in SUFFIXES:
        raise UploadError("wrong_format")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError("too_large")
    token = secrets.token_urlsafe(18)
    name = safe_name(filename)
    folder = staging_dir(data_dir) / token
    folder.mkdir()
    path = folder / name
    path.write_bytes(data)
    return StagedImport(token, name, path, hashlib.sha256(data).hexdigest())


def safe_name(filename: str) -> str:
    """The upload's own file name (so the report names it), reduced to harmless characters."""
    base = Path(filename.replace("\\", "/")).name
    cleaned = "".join(c if c.isalnum() or c in "._- " else "_" for c in base).strip(" .")
    suffix = Path(base).suffix.lower()
    return cleaned[:100] if cleaned.lower().endswith(suffix) and cleaned else f"package{suffix}"


def find_staged(data_dir: Path, token: str, sha256: str, filename: str) -> StagedImport | None:
    """The staged upload with this token, if it is still there and unchanged."""
    if not token or not token.replace("-", "").replace("_", "").isalnum():
        return None
    path = staging_dir(data_dir) / token / safe_name(filename)
    if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha256:
        return StagedImport(token, path.name, path, sha256)
    return None


def discard(staged: StagedImport) -> None:
    """Remove a staged upload (after importing it, or when it was rejected)."""
    staged.path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        staged.path.parent.rmdir()


def plan_import(staged: StagedImport, session: Session) -> ImportPlan:
    """Validate the whole package without writing; raise ImportRejectedError with every problem."""
    report = import_package(staged.path, session, dry_run=True)
    plan = ImportPlan(counts=dict(report.counts))
    try:
        ids: dict[str, set[str]] = {name: set() for name in COMPARED}
        for row in read_rows(staged.path):
            if row.table in ids and row.values.get("id"):
                ids[row.table].add(str(row.values["id"]))
    except PackageFormatError as error:  # already caught by import_package; kept for safety
        raise ImportRejectedError([ImportProblem(staged.filename, 0, "-", str(error))]) from error
    for table, column in COMPARED.items():
        if not ids[table]:
            continue
        existing = set(session.scalars(select(column).where(column.in_(ids[table]))))
        plan.updated[table] = len(ids[table] & existing)
        plan.created[table] = len(ids[table] - existing)
    return plan
