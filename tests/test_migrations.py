"""Migrations upgrade a database in place: the log written by an older schema survives."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import command
from support.trackers import make_tracker

from tracker import app
from tracker.ingest.curated import load_curated
from tracker.store.engine import dumps, make_engine
from tracker.store.migrations import alembic_config, schema_status, upgrade, write_transaction
from tracker.store.schema import utc_text

RECORDED = datetime(2026, 1, 6, 18, 0, tzinfo=UTC)


def _write_seed_as_of_0005(url: str) -> list[tuple[Any, ...]]:
    """The seed story's events, stored the way revision 0005 stored them (SQLite: ids as
    32 hex characters under a log-wide unique index); returns (position, id text, data)."""
    engine = make_engine(url)
    upgrade(engine, "0005")
    story = load_curated()
    sqlite = engine.dialect.name == "sqlite"
    with engine.begin() as conn:
        for version, event in enumerate(story.events(), start=1):
            conn.execute(
                sa.text(
                    "INSERT INTO events (event_id, stream, version, type, schema_version, data, "
                    "occurred_at, recorded_at) VALUES (:id, :stream, :version, :type, :sv, "
                    f"{':data' if sqlite else 'CAST(:data AS jsonb)'}, :occurred, :recorded)"
                ),
                {
                    "id": event.event_id.hex if sqlite else event.event_id,
                    "stream": story.stream,
                    "version": version,
                    "type": event.type,
                    "sv": event.schema_version,
                    "data": dumps(event.data),
                    "occurred": utc_text(event.occurred_at) if sqlite else event.occurred_at,
                    "recorded": utc_text(RECORDED) if sqlite else RECORDED,
                },
            )
        if sqlite:
            # A position handed out once is never handed out again, even the last one.
            conn.execute(sa.text("UPDATE sqlite_sequence SET seq = seq + 5 WHERE name = 'events'"))
    engine.dispose()
    return [(i, str(e.event_id), e.data) for i, e in enumerate(story.events(), start=1)]


def test_a_log_written_at_revision_0005_survives_the_upgrade(db_url: str) -> None:
    before = _write_seed_as_of_0005(db_url)
    engine = make_engine(db_url)
    upgrade(engine)
    assert schema_status(engine).up_to_date
    engine.dispose()

    tracker = make_tracker(db_url)
    try:
        stored = list(tracker.log.iter_after(0))
        assert [(e.position, e.event_id_text, e.data) for e in stored] == before
        assert all(e.recorded_at == RECORDED for e in stored)

        again = app.seed(tracker)  # re-ingesting the same story appends nothing
        assert again["appended"] == 0 and again["already_stored"] == len(before)
        assert tracker.log.last_position() == len(before)

        answer = app.ask(tracker, "moscow-commented", at=datetime(2026, 1, 6, 23, tzinfo=UTC))
        assert answer["answer"] is False
        assert answer["evidence"][0]["assertion_id"] in {event_id for _, event_id, _ in before}

        added = tracker.log.append("doc:after-upgrade", [load_curated().events()[0]])
        skipped = 5 if tracker.engine.dialect.name == "sqlite" else 0
        assert added.appended == (len(before) + skipped + 1,)
    finally:
        tracker.close()


def test_the_upgrade_can_be_undone_and_redone_without_losing_an_event(sqlite_url: str) -> None:
    before = _write_seed_as_of_0005(sqlite_url)
    engine = make_engine(sqlite_url)
    upgrade(engine)
    config = alembic_config()
    with write_transaction(engine) as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0006")
    with engine.connect() as conn:
        ids = conn.execute(sa.text("SELECT event_id FROM events ORDER BY position")).scalars()
        assert [str(i) for i in ids] == [event_id.replace("-", "") for _, event_id, _ in before]
    upgrade(engine)
    engine.dispose()
    tracker = make_tracker(sqlite_url)
    try:
        assert [e.event_id_text for e in tracker.log.iter_after(0)] == [i for _, i, _ in before]
        assert app.seed(tracker)["appended"] == 0
    finally:
        tracker.close()
