"""Per-request helpers of admin views: database sessions, the acting user, today's date."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import Request

from bot.accounts.models import StaffUser
from bot.settings import Settings
from bot.web.auth import current_user_cached


def sessions(request: Request) -> sessionmaker[Session]:
    """The app's catalogue session factory."""
    factory: sessionmaker[Session] = request.app.state.sessions
    return factory


def settings(request: Request) -> Settings:
    """The app's settings."""
    value: Settings = request.app.state.settings
    return value


def staff(request: Request) -> StaffUser:
    """The logged-in user (views are wrapped by `requires_roles`, so there is one)."""
    user = current_user_cached(request)
    assert user is not None, "admin views run behind requires_roles"
    return user


def actor(request: Request) -> str:
    """The name the audit log records for this request's user."""
    return staff(request).username


def today(request: Request) -> dt.date:
    """Today in the municipality's time zone (what "verified today" means)."""
    return dt.datetime.now(ZoneInfo(settings(request).timezone)).date()
