"""slim fact timeline

The timeline keeps only what an as-of query compares, and its index carries both
clocks; the assertion's id and payload are read from the log by position. The
facts projection is rebuilt from the log on next use (its checkpoint is reset),
so no row is converted here.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tracker.store.schema import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _timeline(*, with_payload: bool) -> None:
    payload = [
        sa.Column("doc_id", sa.String(length=64), nullable=True),
        sa.Column("fact", _JSON, nullable=False),
    ]
    op.create_table(
        "fact_timeline",
        sa.Column(
            "position",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        *(
            [sa.Column("assertion_id", sa.String(length=36), nullable=False)]
            if with_payload
            else []
        ),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("value", _JSON, nullable=True),
        sa.Column("valid_from", UTCDateTime(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("retracted_at", UTCDateTime(), nullable=True),
        sa.Column("retracted_position", sa.BigInteger(), nullable=True),
        *(payload if with_payload else []),
        sa.PrimaryKeyConstraint("position", name=op.f("pk_fact_timeline")),
    )
    op.create_index(
        "ix_fact_timeline_key_valid",
        "fact_timeline",
        ["key", "valid_from", "position"]
        + ([] if with_payload else ["recorded_at", "retracted_at"]),
    )


def _reset_facts_projection() -> None:
    op.execute("DELETE FROM current_facts")
    op.execute("DELETE FROM answers")
    op.execute("DELETE FROM projection_checkpoints WHERE name = 'facts'")


def upgrade() -> None:
    op.drop_index("ix_fact_timeline_key_valid", table_name="fact_timeline")
    op.drop_table("fact_timeline")
    _timeline(with_payload=False)
    _reset_facts_projection()


def downgrade() -> None:
    op.drop_index("ix_fact_timeline_key_valid", table_name="fact_timeline")
    op.drop_table("fact_timeline")
    _timeline(with_payload=True)
    _reset_facts_projection()
