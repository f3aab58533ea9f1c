"""Alembic owns the schema: migrations agree with the models, and mismatches are refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from support.trackers import make_tracker

from tracker.domain.log import NewEvent, event_id_for
from tracker.errors import SchemaError
from tracker.store.engine import make_engine
from tracker.store.migrations import alembic_config, schema_status, write_transaction


def test_migrations_agree_with_the_models(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    config = alembic_config()
    with write_transaction(engine) as conn:
        config.attributes["connection"] = conn
        command.check(config)  # raises if autogenerate would produce any operation
    engine.dispose()


def test_a_fresh_embedded_database_is_migrated_on_first_use(sqlite_url: str) -> None:
    tracker = make_tracker(sqlite_url)
    assert schema_status(tracker.engine).up_to_date
    event = NewEvent(event_id_for("a"), "Noted", {"n": 1}, datetime(2026, 1, 6, tzinfo=UTC))
    tracker.log.append("doc:a", [event])
    [stored] = tracker.log.read_stream("doc:a")
    assert (stored.event_id, stored.version, stored.data) == (event.event_id, 1, {"n": 1})
    tracker.close()


def test_a_fresh_postgres_database_asks_for_an_explicit_upgrade(postgres_url: str) -> None:
    with pytest.raises(SchemaError, match="tracker db upgrade"):
        make_tracker(postgres_url)


def test_a_schema_newer_than_the_code_is_refused(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(SchemaError, match="newer than this tracker"):
        make_tracker(migrated_url)
