"""The tables, described once; Alembic migrations must agree with them (`alembic check`)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend.

    PostgreSQL keeps ``timestamptz``. SQLite has no datetime type, so values are
    stored as fixed-width ISO text in UTC, which sorts and compares in time order.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.String(32))
        return dialect.type_descriptor(sa.DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware UTC datetime is required")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.isoformat(timespec="microseconds")
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return stored_time(value)


def stored_time(value: Any) -> datetime | None:
    """A datetime as either backend hands it back (ISO text or timestamptz), in UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value if value.tzinfo is UTC else value.astimezone(UTC)


def utc_text(value: datetime) -> str:
    """The SQLite storage form of a datetime, for raw comparisons."""
    return value.astimezone(UTC).isoformat(timespec="microseconds")


Payload = sa.JSON().with_variant(JSONB(), "postgresql")


class EventId(sa.types.TypeDecorator[uuid.UUID]):
    """An event id: PostgreSQL's 16-byte ``uuid``; on SQLite the same 16 bytes as a blob,
    half the width of the 32 hex characters SQLAlchemy would store, in the table and
    in the index that holds it."""

    impl = sa.Uuid()
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.LargeBinary(16))
        return dialect.type_descriptor(sa.Uuid())

    def process_bind_param(self, value: uuid.UUID | None, dialect: Dialect) -> Any:
        if value is None or dialect.name != "sqlite":
            return value
        return value.bytes

    def process_result_value(self, value: Any, dialect: Dialect) -> uuid.UUID | None:
        if value is None or isinstance(value, uuid.UUID):
            return value
        return uuid.UUID(bytes=bytes(value))


events = sa.Table(
    "events",
    metadata,
    sa.Column(
        "position",
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
        sa.Identity(),
        primary_key=True,
    ),
    sa.Column("event_id", EventId(), nullable=False),
    sa.Column("stream", sa.String(255), nullable=False),
    sa.Column("version", sa.Integer(), nullable=False),
    # No index on type: every append paid for one (a fifth of the pages it wrote), and
    # what filters by type reads the log in position order anyway.
    sa.Column("type", sa.String(100), nullable=False),
    sa.Column("schema_version", sa.Integer(), nullable=False),
    sa.Column("data", Payload, nullable=False),
    sa.Column("occurred_at", UTCDateTime(), nullable=False),
    sa.Column("recorded_at", UTCDateTime(), nullable=False),
    sa.UniqueConstraint("stream", "version"),
    # An id is unique within its stream: ids derive from the natural keys of the document
    # the stream holds, so a re-ingested entry meets its own stream. Scoped so, appending to
    # a stream touches one place in this index; a log-wide index on random ids touched a
    # page per event, and more of them the longer the log grew.
    sa.UniqueConstraint("stream", "event_id"),
    sa.CheckConstraint("version >= 1", name="version_positive"),
    # AUTOINCREMENT: SQLite then never reuses a position, even after the newest row is gone.
    sqlite_autoincrement=True,
)

# -- projections: read models, rebuilt from the log at will ------------------------

projection_checkpoints = sa.Table(
    "projection_checkpoints",
    metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("position", sa.BigInteger(), nullable=False),
    sa.Column("updated_at", UTCDateTime(), nullable=False),
    sa.Column("error", sa.Text()),  # why it stopped, if it did; the position is where
)

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("doc_id", sa.String(64), primary_key=True),
    sa.Column("stream", sa.String(255), nullable=False),
    sa.Column("identity", sa.Text(), nullable=False),
    sa.Column("source", sa.String(20), nullable=False),
    sa.Column("feed", sa.String(255)),
    sa.Column("url", sa.Text()),
    sa.Column("title", sa.Text(), nullable=False),
    sa.Column("published_at", UTCDateTime(), nullable=False),
    sa.Column("content_hash", sa.String(80), nullable=False),
    sa.Column("revisions", sa.Integer(), nullable=False),
    sa.Column("first_position", sa.BigInteger(), nullable=False),
    sa.Column("last_position", sa.BigInteger(), nullable=False),
    sa.Column("recorded_at", UTCDateTime(), nullable=False),
)

fact_timeline = sa.Table(
    "fact_timeline",
    metadata,
    # The asserting event's position: ascending, so a rebuild appends to the B-tree.
    # The row holds only what an as-of query compares; the assertion's id and payload
    # stay in the log, one primary-key look-up away by this position.
    sa.Column(
        "position",
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
        primary_key=True,
        autoincrement=False,
    ),
    sa.Column("key", sa.String(400), nullable=False),
    sa.Column("value", Payload),
    sa.Column("valid_from", UTCDateTime(), nullable=False),
    sa.Column("recorded_at", UTCDateTime(), nullable=False),
    sa.Column("retracted_at", UTCDateTime()),
    sa.Column("retracted_position", sa.BigInteger()),
    # An as-of query is one descending seek on this index per key; it carries both
    # clocks, so deciding which assertion is visible never reads the table.
    sa.Index(
        "ix_fact_timeline_key_valid",
        "key",
        "valid_from",
        "position",
        "recorded_at",
        "retracted_at",
    ),
)

current_facts = sa.Table(
    "current_facts",
    metadata,
    sa.Column("key", sa.String(400), primary_key=True),
    # NULL once every assertion of the key is retracted; the row keeps the key listed.
    sa.Column("assertion_id", sa.String(36)),
    sa.Column("value", Payload),
    sa.Column("valid_from", UTCDateTime()),
    sa.Column("position", sa.BigInteger()),
)

statements = sa.Table(
    "statements",
    metadata,
    sa.Column("statement_id", sa.String(36), primary_key=True),
    sa.Column("position", sa.BigInteger(), nullable=False, index=True),
    sa.Column("speaker", sa.String(100), nullable=False, index=True),
    sa.Column("speaker_name", sa.Text(), nullable=False),
    sa.Column("verb", sa.String(100), nullable=False),
    sa.Column("mode", sa.String(20), nullable=False),
    sa.Column("quote", sa.Text()),
    sa.Column("content", sa.Text(), nullable=False),
    sa.Column("said_at", UTCDateTime(), nullable=False),
    sa.Column("said_precision", sa.String(20), nullable=False),
    sa.Column("about", Payload, nullable=False),
    sa.Column("doc_id", sa.String(64), nullable=False),
    sa.Column("sentence", sa.Text()),
    sa.Column("recorded_at", UTCDateTime(), nullable=False),
    sa.Column("side", sa.String(60), index=True),
)

answers = sa.Table(
    "answers",
    metadata,
    sa.Column("question_id", sa.String(100), primary_key=True),
    sa.Column("value", sa.Boolean()),
    sa.Column("since", UTCDateTime()),
    sa.Column("evidence", Payload, nullable=False),
    sa.Column("position", sa.BigInteger(), nullable=False),
)

# -- feeds and the service: operational state, not derived from the log ------------

URL_LENGTH = 2048
NAME_LENGTH = 200
HOST_LENGTH = 255

feeds = sa.Table(
    "feeds",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(NAME_LENGTH), nullable=False, unique=True),
    sa.Column("url", sa.String(URL_LENGTH), nullable=False, unique=True),
    # The URL the feed was added with. A permanent redirect moves ``url``; entry identities
    # stay scoped to this one, and config declarations keep matching it.
    sa.Column("added_url", sa.String(URL_LENGTH), nullable=False),
    sa.Column("every_seconds", sa.Integer(), nullable=False),
    sa.Column("origin", sa.String(10), nullable=False),  # cli | config | opml
    sa.Column("active", sa.Boolean(), nullable=False),  # false once the server said 410 Gone
    sa.Column("etag", sa.Text()),
    sa.Column("last_modified", sa.Text()),
    sa.Column("next_due_at", UTCDateTime(), nullable=False),
    sa.Column("consecutive_failures", sa.Integer(), nullable=False),
    sa.Column("last_success_at", UTCDateTime()),
    sa.Column("last_error", sa.Text()),
    sa.Column("last_error_at", UTCDateTime()),
    sa.Column("last_status", sa.Integer()),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    # A JSON list of tags (folders and categories an OPML file gave, or `--tag`).
    sa.Column("tags", sa.JSON(), nullable=False),
    # Read each new entry's linked article, not only the feed's summary.
    sa.Column("full_text", sa.Boolean(), nullable=False),
    # Where the feed's requests go (its URL's host name): concurrent requests to one
    # host are bounded across every service process by counting the claims held on it.
    sa.Column("host", sa.String(HOST_LENGTH), nullable=False),
    # The service run polling the feed now, and until when its claim holds: a run that
    # dies mid-poll leaves the feed to the others once the claim runs out.
    sa.Column("claimed_by", sa.Integer()),
    sa.Column("claimed_until", UTCDateTime()),
)

feed_polls = sa.Table(
    "feed_polls",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column(
        "feed_id",
        sa.Integer(),
        sa.ForeignKey("feeds.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("started_at", UTCDateTime(), nullable=False),
    sa.Column("finished_at", UTCDateTime(), nullable=False),
    sa.Column("outcome", sa.String(20), nullable=False),  # ok | not_modified | gone | error
    sa.Column("http_status", sa.Integer()),
    sa.Column("entries", sa.Integer(), nullable=False),
    sa.Column("new_documents", sa.Integer(), nullable=False),
    sa.Column("revised_documents", sa.Integer(), nullable=False),
    sa.Column("error", sa.Text()),
)

service_runs = sa.Table(
    "service_runs",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column("host", sa.String(255), nullable=False),
    sa.Column("pid", sa.Integer(), nullable=False),
    sa.Column("started_at", UTCDateTime(), nullable=False),
    sa.Column("heartbeat_at", UTCDateTime(), nullable=False),
    sa.Column("stopped_at", UTCDateTime()),
    sa.Column("stop_reason", sa.Text()),
    # Set when the run took the leader's lock (catch-up, alerts), cleared when it let go.
    sa.Column("leader_since", UTCDateTime()),
)

# -- alerts: an outbox derived from the log, and the delivery state of each channel ----

alerts = sa.Table(
    "alerts",
    metadata,
    # uuid5 of the question and the position whose event changed its answer: a rebuild
    # derives the same ids, so it finds the deliveries already made.
    sa.Column("alert_id", sa.String(36), primary_key=True),
    sa.Column("position", sa.BigInteger(), nullable=False, index=True),
    sa.Column("story", sa.String(100), nullable=False),
    sa.Column("question", sa.String(100), nullable=False),
    sa.Column("recorded_at", UTCDateTime(), nullable=False),
    sa.Column("payload", Payload, nullable=False),
)

# Operational state, not derived: a rebuild of the outbox leaves it, so nothing is re-sent.
alert_channels = sa.Table(
    "alert_channels",
    metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    # Alerts from events after this position are the channel's; history before it is not.
    sa.Column("since_position", sa.BigInteger(), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
)

alert_deliveries = sa.Table(
    "alert_deliveries",
    metadata,
    sa.Column("alert_id", sa.String(36), primary_key=True),
    sa.Column("channel", sa.String(100), primary_key=True),
    sa.Column("position", sa.BigInteger(), nullable=False),
    sa.Column("state", sa.String(10), nullable=False),  # pending | sent
    sa.Column("attempts", sa.Integer(), nullable=False),
    sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
    sa.Column("last_attempt_at", UTCDateTime()),
    sa.Column("last_error", sa.Text()),
    sa.Column("sent_at", UTCDateTime()),
    sa.Index("ix_alert_deliveries_state_next", "state", "next_attempt_at"),
)
