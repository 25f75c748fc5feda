"""Staff users of the web interfaces (admin and front desk) and the organisations they edit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.catalogue.models import Base, Organization

ROLES: tuple[str, ...] = ("admin", "editor", "translator", "viewer", "desk")

staff_user_organization = Table(
    "staff_user_organization",
    Base.metadata,
    Column(
        "staff_user_id",
        ForeignKey("staff_user.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "organization_id",
        ForeignKey("organization.id", ondelete="CASCADE"),
        primary_key=True,
    ),
)


class StaffUser(Base):
    """A person who logs in to the admin or desk interface."""

    __tablename__ = "staff_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(255), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    organizations: Mapped[list[Organization]] = relationship(
        secondary=staff_user_organization, lazy="selectin"
    )

    @property
    def organization_ids(self) -> set[str]:
        """Ids of the organisations this user may edit (meaningful for editors)."""
        return {organization.id for organization in self.organizations}

    @property
    def label(self) -> str:
        """The name shown in pages and the audit log."""
        return self.display_name or self.username


class RevokedStaffSession(Base):
    """A session ended by logout: its signed cookie is refused even if someone kept a copy."""

    __tablename__ = "revoked_staff_session"
    session_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
