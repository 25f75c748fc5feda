"""catalogue revision counter bumped by triggers; indexes on the service foreign keys

A search process checks this one row before each query instead of scanning the catalogue,
so an edit made anywhere (admin UI, import, SQL console) is seen by the next answer.

Revision ID: 0005_revision
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_revision"
down_revision = "0004"
branch_labels = None
depends_on = None

INDEXED_TABLES = (
    "service",
    "translation",
    "service_category",
    "taxonomy_term",
    "organization",
    "location",
    "service_at_location",
)
OPERATIONS = ("INSERT", "UPDATE", "DELETE")
# (table, column): a card loads these by service; without an index each is a full scan
FOREIGN_KEY_INDEXES = (
    ("service", "organization_id"),
    ("phone", "service_id"),
    ("contact", "service_id"),
    ("schedule", "service_id"),
    ("required_document", "service_id"),
    ("cost_option", "service_id"),
    ("service_area", "service_id"),
)
BUMP = "UPDATE catalogue_revision SET revision = revision + 1 WHERE id = 1"


def upgrade() -> None:
    for table, column in FOREIGN_KEY_INDEXES:
        op.create_index(f"ix_{table}_{column}", table, [column])
    op.create_table(
        "catalogue_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_revision")),
    )
    op.execute("INSERT INTO catalogue_revision (id, revision) VALUES (1, 1)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION bump_catalogue_revision() RETURNS trigger AS $$ "
            f"BEGIN {BUMP}; RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        for table in INDEXED_TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_bumps_revision AFTER INSERT OR UPDATE OR DELETE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION bump_catalogue_revision()"
            )
        return
    for table in INDEXED_TABLES:
        for operation in OPERATIONS:
            op.execute(
                f"CREATE TRIGGER {table}_{operation.lower()}_bumps_revision "
                f"AFTER {operation} ON {table} BEGIN {BUMP}; END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in INDEXED_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_bumps_revision ON {table}")
        op.execute("DROP FUNCTION IF EXISTS bump_catalogue_revision()")
    else:
        for table in INDEXED_TABLES:
            for operation in OPERATIONS:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{operation.lower()}_bumps_revision")
    op.drop_table("catalogue_revision")
    for table, column in FOREIGN_KEY_INDEXES:
        op.drop_index(f"ix_{table}_{column}", table_name=table)
