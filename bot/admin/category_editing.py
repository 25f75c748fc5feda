"""Creating, renaming, archiving and restoring categories of the taxonomy (admins)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.admin import audit, locking
from bot.admin.forms import Errors, FormReader
from bot.catalogue.models import ServiceCategory, TaxonomyTerm

CODE = re.compile(r"^[a-z][a-z_]{1,38}[a-z]$")
FIELDS = ("code", "name", "status")


def snapshot(term: TaxonomyTerm) -> dict[str, Any]:
    """The editable state of a category."""
    return {name: getattr(term, name) for name in FIELDS}


def read_category_form(
    form: Any, session: Session, creating: bool
) -> tuple[dict[str, Any], Errors]:
    """Validated values: the Italian label always, the code (fixed afterwards) on creation."""
    reader = FormReader(form)
    values: dict[str, Any] = {"name": reader.text("name", required=True, max_length=255)}
    if creating:
        code = reader.text("code", required=True, max_length=40)
        if code is not None and "code" not in reader.errors:
            if not CODE.match(code):
                reader.errors["code"] = "invalid_code"
            elif session.scalar(select(TaxonomyTerm.id).where(TaxonomyTerm.code == code)):
                reader.errors["code"] = "duplicate"
        values["code"] = code
    return values, reader.errors


def service_counts(session: Session) -> dict[str, int]:
    """Category id -> number of services linked to it."""
    rows = session.execute(
        select(ServiceCategory.taxonomy_term_id, func.count()).group_by(
            ServiceCategory.taxonomy_term_id
        )
    )
    return {term_id: int(count) for term_id, count in rows}


def create_category(session: Session, values: dict[str, Any], actor: str) -> TaxonomyTerm:
    """Add a category (id `cat-<code>`, like the fixed taxonomy's)."""
    term = TaxonomyTerm(id=f"cat-{values['code']}", code=values["code"], name=values["name"])
    session.add(term)
    session.flush()
    audit.record(session, actor, "create", "taxonomy_term", term.id, audit.diff({}, snapshot(term)))
    return term


def update_category(
    session: Session, term: TaxonomyTerm, values: dict[str, Any], expected: int | None, actor: str
) -> bool:
    """Rename a category unless it changed since the form was opened; False if no change."""
    locking.check_version(term, expected, snapshot)
    before = snapshot(term)
    term.name = values["name"]
    changes = audit.diff(before, snapshot(term))
    if not changes:
        session.rollback()
        return False
    locking.flush_or_conflict(session, term, snapshot)
    audit.record(session, actor, "update", "taxonomy_term", term.id, changes)
    return True


def set_category_status(
    session: Session, term: TaxonomyTerm, status: str, expected: int | None, actor: str
) -> None:
    """Archive (off the bot's category menu; services keep the link) or restore a category."""
    locking.check_version(term, expected, snapshot)
    before = term.status
    if before == status:
        return
    term.status = status
    locking.flush_or_conflict(session, term, snapshot)
    action = "archive" if status == "inactive" else "restore"
    audit.record(
        session,
        actor,
        action,
        "taxonomy_term",
        term.id,
        {"status": {"before": before, "after": status}},
    )
