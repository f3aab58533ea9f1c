"""many services on one database

Feeds carry a claim (which service run polls them, until when) and the host their
requests go to; service runs record since when they lead.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-02
"""

from collections.abc import Sequence
from urllib.parse import urlsplit

import sqlalchemy as sa
from alembic import op

from tracker.store.schema import UTCDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Added NOT NULL with a placeholder default, then filled, as 0005 did: SQLite cannot
    # tighten a column without copying the table, which would cascade-delete feed_polls.
    op.add_column(
        "feeds", sa.Column("host", sa.String(length=255), nullable=False, server_default="")
    )
    op.add_column("feeds", sa.Column("claimed_by", sa.Integer(), nullable=True))
    op.add_column("feeds", sa.Column("claimed_until", UTCDateTime(), nullable=True))
    conn = op.get_bind()
    for feed_id, url in conn.execute(sa.text("SELECT id, url FROM feeds")).all():
        host = (urlsplit(url).hostname or "")[:255]
        conn.execute(
            sa.text("UPDATE feeds SET host = :host WHERE id = :id"), {"host": host, "id": feed_id}
        )
    if op.get_context().dialect.name != "sqlite":
        op.alter_column("feeds", "host", server_default=None)
    op.add_column("service_runs", sa.Column("leader_since", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("service_runs") as batch_op:
        batch_op.drop_column("leader_since")
    with op.batch_alter_table("feeds") as batch_op:
        batch_op.drop_column("claimed_until")
        batch_op.drop_column("claimed_by")
        batch_op.drop_column("host")
