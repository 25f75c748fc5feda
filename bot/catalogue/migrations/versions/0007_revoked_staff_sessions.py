"""sessions ended by logout are refused server-side

Revision ID: 0007_revoked_sessions
Revises: 0006_archive
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_revoked_sessions"
down_revision = "0006_archive"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "revoked_staff_session",
        sa.Column("session_id", sa.String(length=64), primary_key=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_revoked_staff_session_expires_at", "revoked_staff_session", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_revoked_staff_session_expires_at", "revoked_staff_session")
    op.drop_table("revoked_staff_session")
