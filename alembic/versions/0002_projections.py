"""projections

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tracker.store.schema import UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "answers",
        sa.Column("question_id", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Boolean(), nullable=True),
        sa.Column("since", UTCDateTime(), nullable=True),
        sa.Column(
            "evidence",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("question_id", name=op.f("pk_answers")),
    )
    op.create_table(
        "current_facts",
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("assertion_id", sa.String(length=36), nullable=True),
        sa.Column(
            "value",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("valid_from", UTCDateTime(), nullable=True),
        sa.Column("position", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_current_facts")),
    )
    op.create_table(
        "documents",
        sa.Column("doc_id", sa.String(length=64), nullable=False),
        sa.Column("stream", sa.String(length=255), nullable=False),
        sa.Column("identity", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("feed", sa.String(length=255), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=False),
        sa.Column("content_hash", sa.String(length=80), nullable=False),
        sa.Column("revisions", sa.Integer(), nullable=False),
        sa.Column("first_position", sa.BigInteger(), nullable=False),
        sa.Column("last_position", sa.BigInteger(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("doc_id", name=op.f("pk_documents")),
    )
    op.create_table(
        "fact_timeline",
        sa.Column(
            "position",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("assertion_id", sa.String(length=36), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column(
            "value",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("valid_from", UTCDateTime(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("retracted_at", UTCDateTime(), nullable=True),
        sa.Column("retracted_position", sa.BigInteger(), nullable=True),
        sa.Column("doc_id", sa.String(length=64), nullable=True),
        sa.Column(
            "fact",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("position", name=op.f("pk_fact_timeline")),
    )
    with op.batch_alter_table("fact_timeline", schema=None) as batch_op:
        batch_op.create_index(
            "ix_fact_timeline_key_valid", ["key", "valid_from", "position"], unique=False
        )

    op.create_table(
        "projection_checkpoints",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_projection_checkpoints")),
    )
    op.create_table(
        "statements",
        sa.Column("statement_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("speaker", sa.String(length=100), nullable=False),
        sa.Column("speaker_name", sa.Text(), nullable=False),
        sa.Column("verb", sa.String(length=100), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("said_at", UTCDateTime(), nullable=False),
        sa.Column("said_precision", sa.String(length=20), nullable=False),
        sa.Column(
            "about",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("doc_id", sa.String(length=64), nullable=False),
        sa.Column("sentence", sa.Text(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("statement_id", name=op.f("pk_statements")),
    )
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statements_position"), ["position"], unique=False)
        batch_op.create_index(batch_op.f("ix_statements_speaker"), ["speaker"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statements_speaker"))
        batch_op.drop_index(batch_op.f("ix_statements_position"))

    op.drop_table("statements")
    op.drop_table("projection_checkpoints")
    with op.batch_alter_table("fact_timeline", schema=None) as batch_op:
        batch_op.drop_index("ix_fact_timeline_key_valid")

    op.drop_table("fact_timeline")
    op.drop_table("documents")
    op.drop_table("current_facts")
    op.drop_table("answers")
