"""Creating, updating and authenticating staff users."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.accounts.models import ROLES, StaffUser
from bot.accounts.passwords import (
    MIN_PASSWORD_LENGTH,
    hash_password,
    needs_rehash,
    verify_password,
)
from bot.catalogue.models import Organization


class AccountError(ValueError):
    """Invalid account data; `field` names the offending input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def find_user(session: Session, username: str) -> StaffUser | None:
    """The user with this username (case-insensitive), or None."""
    return session.scalar(select(StaffUser).where(StaffUser.username == username.strip().lower()))


def save_user(
    session: Session,
    username: str,
    role: str,
    password: str | None,
    organization_ids: Sequence[str] = (),
    display_name: str | None = None,
    active: bool = True,
) -> StaffUser:
    """Create the user, or update role, organisations and (when given) password."""
    name = username.strip().lower()
    if not name or len(name) > 80 or not all(c.isalnum() or c in "._-@" for c in name):
        raise AccountError("username", "use 1-80 letters, digits or . _ - @")
    if role not in ROLES:
        raise AccountError("role", f"must be one of {', '.join(ROLES)}")
    organizations: list[Organization] = []
    for organization_id in dict.fromkeys(organization_ids):
        organization = session.get(Organization, organization_id)
        if organization is None:
            raise AccountError("organization", f"no organisation with id {organization_id!r}")
        organizations.append(organization)
    user = find_user(session, name)
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("password", f"must have at least {MIN_PASSWORD_LENGTH} characters")
    if user is None:
        if password is None:
            raise AccountError("password", "a new user needs a password")
        user = StaffUser(username=name, password_hash=hash_password(password), role=role)
        session.add(user)
    elif password is not None:
        user.password_hash = hash_password(password)
    user.role = role
    user.active = active
    if display_name is not None:
        user.display_name = display_name.strip()
    user.organizations = organizations
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> StaffUser | None:
    """The active user whose password matches, with its last login updated; else None."""
    user = find_user(session, username)
    if user is None or not user.active:
        hash_password(password)  # same cost whether or not the user exists
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = dt.datetime.now(dt.UTC)
    session.flush()
    return user
