"""event ids unique per stream; 16-byte ids on SQLite; no index on type

A log-wide unique index on random event ids took a page write per appended event,
more as the log grew. The id is unique within its stream instead (the stream comes
from the same natural keys as the id), and SQLite stores it as 16 bytes, not 32 hex
characters. The index on type, which every append paid for, goes. On SQLite events
are copied into the new table with their positions unchanged.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.store.schema import UTCDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    "position, event_id, stream, version, type, schema_version, data, occurred_at, recorded_at"
)


def _sqlite_events(name: str, *, id_type: sa.types.TypeEngine[object], per_stream: bool) -> None:
    unique_id = (
        sa.UniqueConstraint("stream", "event_id", name="uq_events_stream_event_id")
        if per_stream
        else sa.UniqueConstraint("event_id", name="uq_events_event_id")
    )
    op.create_table(
        name,
        sa.Column("position", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("event_id", id_type, nullable=False),
        sa.Column("stream", sa.String(length=255), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=100), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("version >= 1", name="ck_events_version_positive"),
        sa.PrimaryKeyConstraint("position", name="pk_events"),
        sa.UniqueConstraint("stream", "version", name="uq_events_stream_version"),
        unique_id,
        sqlite_autoincrement=True,
    )


def _sqlite_copy(*, per_stream: bool) -> None:
    """Copy events into a table of the other form, positions and AUTOINCREMENT kept."""
    bind = op.get_bind()
    # SQLite before 3.41 has no unhex(): the conversion runs as a function of our own.
    driver = bind.connection.driver_connection
    assert driver is not None
    driver.create_function("tracker_id_bytes", 1, _id_bytes, deterministic=True)
    driver.create_function("tracker_id_hex", 1, _id_hex, deterministic=True)
    convert = "tracker_id_bytes" if per_stream else "tracker_id_hex"
    sequence = bind.execute(
        sa.text("SELECT seq FROM sqlite_sequence WHERE name = 'events'")
    ).scalar()
    id_type: sa.types.TypeEngine[object] = sa.LargeBinary(16) if per_stream else sa.Uuid()
    _sqlite_events("_events_copy", id_type=id_type, per_stream=per_stream)
    op.execute(
        f"INSERT INTO _events_copy ({_COLUMNS}) SELECT position, {convert}(event_id), stream, "
        "version, type, schema_version, data, occurred_at, recorded_at FROM events "
        "ORDER BY position"
    )
    if per_stream:
        op.drop_index("ix_events_type", table_name="events")
    op.drop_table("events")
    op.rename_table("_events_copy", "events")
    if not per_stream:
        op.create_index("ix_events_type", "events", ["type"], unique=False)
    if sequence is not None:
        # A position once handed out is never handed out again, even if it was the last.
        op.execute(
            sa.text(
                "UPDATE sqlite_sequence SET seq = max(seq, :seq) WHERE name = 'events'"
            ).bindparams(seq=int(sequence))
        )


def _id_bytes(value: object) -> bytes:
    if isinstance(value, bytes):
        return value
    return bytes.fromhex(str(value).replace("-", ""))


def _id_hex(value: object) -> str:
    return value.hex() if isinstance(value, bytes) else str(value)


def upgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        _sqlite_copy(per_stream=True)
        return
    op.drop_constraint("uq_events_event_id", "events", type_="unique")
    op.create_unique_constraint("uq_events_stream_event_id", "events", ["stream", "event_id"])
    op.drop_index("ix_events_type", table_name="events")


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        _sqlite_copy(per_stream=False)
        return
    op.drop_constraint("uq_events_stream_event_id", "events", type_="unique")
    op.create_unique_constraint("uq_events_event_id", "events", ["event_id"])
    op.create_index("ix_events_type", "events", ["type"], unique=False)
