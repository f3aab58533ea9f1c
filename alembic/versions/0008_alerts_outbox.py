"""alerts outbox and deliveries

An answer change becomes an alert row, derived from the log like any projection; each
channel's delivery of it is operational state that a rebuild leaves alone.

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tracker.store.schema import UTCDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("alert_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("story", sa.String(length=100), nullable=False),
        sa.Column("question", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("alert_id", name=op.f("pk_alerts")),
    )
    op.create_index(op.f("ix_alerts_position"), "alerts", ["position"])
    op.create_table(
        "alert_channels",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("since_position", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_alert_channels")),
    )
    op.create_table(
        "alert_deliveries",
        sa.Column("alert_id", sa.String(length=36), nullable=False),
        sa.Column("channel", sa.String(length=100), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
        sa.Column("last_attempt_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("alert_id", "channel", name=op.f("pk_alert_deliveries")),
    )
    op.create_index(
        "ix_alert_deliveries_state_next", "alert_deliveries", ["state", "next_attempt_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_alert_deliveries_state_next", table_name="alert_deliveries")
    op.drop_table("alert_deliveries")
    op.drop_table("alert_channels")
    op.drop_index(op.f("ix_alerts_position"), table_name="alerts")
    op.drop_table("alerts")
