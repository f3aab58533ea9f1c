"""feeds remember the URL they were added with

A permanent redirect moves a feed's URL; its entries' identities and its
config declaration stay tied to the URL it was added with.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Added NOT NULL with a placeholder default, then filled: SQLite cannot tighten a column
    # without copying the table, and dropping the old copy would cascade-delete feed_polls.
    op.add_column(
        "feeds",
        sa.Column("added_url", sa.String(length=2048), nullable=False, server_default=""),
    )
    op.execute("UPDATE feeds SET added_url = url")
    if op.get_context().dialect.name != "sqlite":
        op.alter_column("feeds", "added_url", server_default=None)


def downgrade() -> None:
    op.drop_column("feeds", "added_url")
