"""The event store's contract, run unchanged on SQLite, PostgreSQL and in memory.

The tests that write rows with SQL or break a database connection are about the
database log alone and take a database (``tracker`` or a URL) instead of ``log``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from support.trackers import make_tracker, migrated

from tracker.app import Tracker
from tracker.domain.event_store import EventStore
from tracker.domain.log import ANY, NO_STREAM, NewEvent, StreamBatch, event_id_for
from tracker.domain.upcasting import UPCASTERS
from tracker.errors import ConcurrencyError, StorageError
from tracker.store.log import EventLog
from tracker.store.memory import InMemoryEventStore
from tracker.store.schema import events

T0 = datetime(2026, 1, 6, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql", "memory"])
def log(request: pytest.FixtureRequest) -> Iterator[EventStore]:
    """An empty event store of each kind, in turn."""
    if request.param == "memory":
        yield InMemoryEventStore(clock=lambda: datetime.now(UTC), upcasters=UPCASTERS)
        return
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    built = make_tracker(migrated(url))
    yield built.log
    built.close()


def new(key: str, type_: str = "Noted", **data: object) -> NewEvent:
    return NewEvent(event_id_for("test", key), type_, {"key": key, **data}, T0)


def test_append_returns_positions_in_order_and_numbers_versions(log: EventStore) -> None:
    first = log.append("doc:a", [new("a1"), new("a2")], expected_version=NO_STREAM)
    second = log.append("doc:b", [new("b1")], expected_version=NO_STREAM)
    third = log.append("doc:a", [new("a3")], expected_version=2)
    assert len(first.appended) == 2 and first.appended[0] < first.appended[1]
    assert first.appended[1] < second.appended[0] < third.appended[0]
    stream = log.read_stream("doc:a")
    assert [e.version for e in stream] == [1, 2, 3]
    assert [e.data["key"] for e in stream] == ["a1", "a2", "a3"]
    assert log.stream_version("doc:a") == 3 and log.stream_version("doc:none") == 0


def test_recorded_event_round_trips_every_field(log: EventStore) -> None:
    before = datetime.now(UTC)
    occurred = datetime(2026, 1, 6, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=3)))
    event = NewEvent(
        uuid.uuid4(),
        "Noted",
        {"text": "Зеленский «quoted»", "n": [1, 2.5]},
        occurred,
        schema_version=1,
    )
    position = log.append("doc:x", [event]).appended[0]
    (stored,) = log.read_after(position - 1)
    assert stored.position == position and stored.stream == "doc:x" and stored.version == 1
    assert stored.event_id == event.event_id and stored.type == "Noted"
    assert stored.data == event.data
    assert stored.occurred_at == occurred and stored.occurred_at.tzinfo == UTC
    assert stored.recorded_at.tzinfo == UTC
    assert before <= stored.recorded_at <= datetime.now(UTC)


def test_wrong_expected_version_raises_and_appends_nothing(log: EventStore) -> None:
    log.append("doc:a", [new("a1")], expected_version=NO_STREAM)
    with pytest.raises(ConcurrencyError) as caught:
        log.append("doc:a", [new("a2"), new("a3")], expected_version=NO_STREAM)
    assert caught.value.actual == 1
    with pytest.raises(ConcurrencyError):
        log.append("doc:a", [new("a2")], expected_version=5)
    assert [e.data["key"] for e in log.read_stream("doc:a")] == ["a1"]
    log.append("doc:a", [new("a2")], expected_version=ANY)
    assert log.stream_version("doc:a") == 2


def test_multi_stream_append_is_all_or_nothing(log: EventStore) -> None:
    log.append("doc:b", [new("b1")])
    with pytest.raises(ConcurrencyError):
        log.append_batches(
            [
                StreamBatch("doc:a", (new("a1"),), NO_STREAM),
                StreamBatch("doc:b", (new("b2"),), NO_STREAM),
            ]
        )
    assert log.read_stream("doc:a") == [] and log.last_position() == 1


def test_reappending_stored_event_ids_appends_nothing(log: EventStore) -> None:
    first = log.append("doc:a", [new("a1"), new("a2")], expected_version=NO_STREAM)
    again = log.append("doc:a", [new("a1"), new("a2")], expected_version=NO_STREAM)
    assert again.appended == () and again.already_stored == first.appended
    mixed = log.append("doc:a", [new("a2"), new("a3"), new("a3")], expected_version=2)
    assert len(mixed.appended) == 1
    assert [e.data["key"] for e in log.read_stream("doc:a")] == ["a1", "a2", "a3"]


def test_an_event_given_twice_in_one_append_is_stored_once(log: EventStore) -> None:
    result = log.append("doc:a", [new("a1"), new("a2"), new("a1")], expected_version=NO_STREAM)
    stream = log.read_stream("doc:a")
    assert [(e.version, e.data["key"]) for e in stream] == [(1, "a1"), (2, "a2")]
    assert result.appended == tuple(e.position for e in stream)
    assert result.appended_ids == {e.event_id for e in stream}


def test_read_after_pages_through_the_whole_log(log: EventStore) -> None:
    for i in range(25):
        log.append(f"doc:{i % 3}", [new(f"e{i}", n=i)])
    page = log.read_after(0, limit=10)
    assert [e.data["n"] for e in page] == list(range(10))
    assert [e.data["n"] for e in log.iter_after(0, page_size=7)] == list(range(25))
    assert [e.data["n"] for e in log.iter_after(page[-1].position, page_size=4)] == list(
        range(10, 25)
    )
    assert [e.data["n"] for e in log.read_stream("doc:1", after_version=2, limit=2)] == [7, 10]


def test_read_after_filters_by_type(log: EventStore) -> None:
    log.append("doc:a", [new("a1", "Kept"), new("a2", "Dropped"), new("a3", "Kept")])
    assert [e.data["key"] for e in log.read_after(0, types=["Kept"])] == ["a1", "a3"]


def test_each_event_keeps_its_own_occurrence_time(log: EventStore) -> None:
    # a batch mixing times, equal ones given in two zones, and the first time again
    paris = timezone(timedelta(hours=1))
    times = [T0, T0 + timedelta(hours=1), (T0 + timedelta(hours=1)).astimezone(paris), T0]
    events = [
        NewEvent(event_id_for("test", f"t{i}"), "Noted", {"key": f"t{i}"}, at)
        for i, at in enumerate(times)
    ]
    log.append("doc:times", events[:3], expected_version=NO_STREAM)
    log.append("doc:times", events[3:], expected_version=3)
    assert [e.occurred_at for e in log.read_stream("doc:times")] == times


def test_naive_occurred_at_is_refused_before_it_reaches_the_store() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        NewEvent(uuid.uuid4(), "Noted", {}, datetime(2026, 1, 6))


def test_old_payloads_are_upcast_on_read(tracker: Tracker) -> None:
    # A FactAsserted written at schema 1 (bare date) reads back at schema 2.
    with tracker.engine.begin() as conn:
        conn.execute(
            sa.insert(events),
            [
                {
                    "event_id": uuid.uuid4(),
                    "stream": "doc:old",
                    "version": 1,
                    "type": "FactAsserted",
                    "schema_version": 1,
                    "data": {"key": "moscow/commented", "valid_from": "2026-01-06"},
                    "occurred_at": T0,
                    "recorded_at": T0,
                }
            ],
        )
    (event,) = tracker.log.read_stream("doc:old")
    assert event.schema_version == 2
    assert event.data["valid_from"] == "2026-01-06T00:00:00+00:00"
    assert event.data["valid_precision"] == "day"


def test_old_payloads_appended_in_memory_are_upcast_on_read() -> None:
    store = InMemoryEventStore(clock=lambda: T0, upcasters=UPCASTERS)
    old = {"key": "moscow/commented", "valid_from": "2026-01-06"}
    store.append("doc:old", [NewEvent(uuid.uuid4(), "FactAsserted", old, T0, schema_version=1)])
    (event,) = store.read_stream("doc:old")
    assert event.schema_version == 2
    assert event.data["valid_from"] == "2026-01-06T00:00:00+00:00"
    assert event.data["valid_precision"] == "day"


def test_driver_errors_come_out_as_storage_errors(db_url: str) -> None:
    from tracker.store.engine import make_engine

    # The schema was never created: the driver's "no such table" must not leak.
    log = EventLog(make_engine(db_url), clock=lambda: T0)
    with pytest.raises(StorageError):
        log.append("doc:a", [new("a1")])
    with pytest.raises(StorageError):
        log.read_after(0)
    log.engine.dispose()


def test_unreachable_postgres_is_a_storage_error() -> None:
    from tracker.store.engine import make_engine

    port = 1  # nothing listens on a privileged port here
    log = EventLog(make_engine(f"postgresql://nobody@127.0.0.1:{port}/x"), clock=lambda: T0)
    with pytest.raises(StorageError, match=r"read failed|cannot connect"):
        log.last_position()


def test_an_append_on_a_postgres_connection_cut_while_idle_goes_through(
    postgres_url: str,
) -> None:
    import psycopg
    from support.waiting import wait_for

    from tracker.store.engine import make_engine
    from tracker.store.migrations import upgrade

    engine = make_engine(postgres_url)
    upgrade(engine)
    log = EventLog(engine, clock=lambda: T0)
    log.append("doc:a", [new("a1")], expected_version=NO_STREAM)
    # The pooled connection's server process goes away while it sits idle. The append
    # is not pinged first: its own first round trip finds the connection dead.
    admin = sa.make_url(postgres_url).set(database="postgres").render_as_string(False)
    database = sa.make_url(postgres_url).database
    with psycopg.connect(admin.replace("+psycopg", ""), autocommit=True) as conn:

        def backends() -> int:
            found = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (database,)
            ).fetchone()
            return int(found[0]) if found else 0

        assert backends() >= 1
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        )
        wait_for(lambda: backends() == 0, seconds=30)
    result = log.append("doc:a", [new("a1"), new("a2")], expected_version=1)
    assert len(result.appended) == 1 and len(result.already_stored) == 1
    assert [e.data["key"] for e in log.read_stream("doc:a")] == ["a1", "a2"]
    engine.dispose()
