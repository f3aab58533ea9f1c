"""statements remember their speaker's side

Speakers are no longer only configured actors: an unlisted speaker keeps the side
the text gives it ("Russia's envoy"), so `statements --by russia` finds it. The
statements projection is rebuilt from the log on next use (its checkpoint is reset).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("statements") as batch:
        batch.add_column(sa.Column("side", sa.String(length=60), nullable=True))
        batch.create_index("ix_statements_side", ["side"])
    op.execute("DELETE FROM statements")
    op.execute("DELETE FROM projection_checkpoints WHERE name = 'statements'")


def downgrade() -> None:
    with op.batch_alter_table("statements") as batch:
        batch.drop_index("ix_statements_side")
        batch.drop_column("side")
