"""feeds carry tags and a full-text option

Tags keep the folders and categories of an imported OPML file (and `--tag`);
``full_text`` makes the poller read each new entry's linked article.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # NOT NULL with a default that fills the rows already there. SQLite keeps the default
    # (dropping it would copy the table, and dropping the old copy cascades to feed_polls).
    op.add_column("feeds", sa.Column("tags", sa.JSON(), nullable=False, server_default="[]"))
    op.add_column(
        "feeds",
        sa.Column("full_text", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    if op.get_context().dialect.name != "sqlite":
        op.alter_column("feeds", "tags", server_default=None)
        op.alter_column("feeds", "full_text", server_default=None)


def downgrade() -> None:
    op.drop_column("feeds", "full_text")
    op.drop_column("feeds", "tags")
