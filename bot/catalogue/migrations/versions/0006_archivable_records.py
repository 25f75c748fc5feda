"""organisations, locations and categories can be archived; categories get an edit version

Revision ID: 0006_archive
Revises: 0005_revision
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_archive"
down_revision = "0005_revision"
branch_labels = None
depends_on = None

ARCHIVABLE = ("organization", "location", "taxonomy_term")


def upgrade() -> None:
    # plain ADD COLUMN (no batch copy): a SQLite table copy would drop the revision triggers
    for table in ARCHIVABLE:
        op.add_column(
            table,
            sa.Column("status", sa.String(length=20), server_default="active", nullable=False),
        )
    op.add_column(
        "taxonomy_term",
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
    )


def downgrade() -> None:
    # plain ALTER (SQLite >= 3.35 drops columns); a batch copy would drop the triggers
    op.execute(sa.text("ALTER TABLE taxonomy_term DROP COLUMN version"))
    for table in reversed(ARCHIVABLE):
        op.execute(sa.text(f"ALTER TABLE {table} DROP COLUMN status"))
