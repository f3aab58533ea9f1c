"""Positions become visible in commit order, under real concurrent writer processes."""

from __future__ import annotations

import multiprocessing
import random
import time
from datetime import UTC, datetime
from typing import Any

import pytest

from tracker.bootstrap import utc_now
from tracker.domain.log import ANY, NO_STREAM, NewEvent, StreamBatch, event_id_for
from tracker.errors import ConcurrencyError
from tracker.store.engine import make_engine, write_transaction
from tracker.store.log import EventLog

T0 = datetime(2026, 1, 6, tzinfo=UTC)
WRITERS, BATCHES, PER_BATCH = 4, 40, 5
SPAWN = multiprocessing.get_context("spawn")


def _events(*key: object, count: int) -> tuple[NewEvent, ...]:
    return tuple(
        NewEvent(event_id_for(*map(str, key), str(i)), "Noted", {"key": [*map(str, key), i]}, T0)
        for i in range(count)
    )


def _writer(url: str, writer: int, barrier: Any, hold_seconds: float) -> None:
    engine = make_engine(url)
    log = EventLog(engine, clock=utc_now)
    rng = random.Random(writer)
    barrier.wait()
    for batch in range(BATCHES):
        with write_transaction(engine) as conn:
            log.append_in(
                conn, [StreamBatch(f"w:{writer}", _events(writer, batch, count=PER_BATCH), ANY)]
            )
            # Commit late: with a plain sequence, a reader would pass this position by.
            time.sleep(rng.uniform(0, hold_seconds))
    engine.dispose()


def test_a_tailing_reader_sees_every_event_exactly_once(migrated_url: str) -> None:
    barrier = SPAWN.Barrier(WRITERS + 1)
    writers = [
        SPAWN.Process(target=_writer, args=(migrated_url, w, barrier, 0.004))
        for w in range(WRITERS)
    ]
    for process in writers:
        process.start()
    reader = EventLog(make_engine(migrated_url), clock=utc_now)
    barrier.wait()
    expected = WRITERS * BATCHES * PER_BATCH
    seen: list[Any] = []
    last = 0
    deadline = time.monotonic() + 120
    while len(seen) < expected and time.monotonic() < deadline:
        page = reader.read_after(last, limit=50)
        if page:
            assert page[0].position > last
            seen.extend(page)
            last = page[-1].position
    for process in writers:
        process.join(timeout=60)
        assert process.exitcode == 0
    # After the writers are done, nothing may be left behind the reader's checkpoint.
    everything = reader.read_after(0, limit=expected + 10)
    reader.engine.dispose()
    assert len(everything) == expected
    assert len(seen) == expected, f"reader missed {expected - len(seen)} committed events"
    assert len({e.event_id for e in seen}) == expected
    assert [e.position for e in seen] == sorted(e.position for e in seen)


def _racer(url: str, name: str, stream: str, barrier: Any, results: Any) -> None:
    log = EventLog(make_engine(url), clock=utc_now)
    barrier.wait()
    try:
        log.append(stream, _events(name, stream, count=3), expected_version=NO_STREAM)
        results.put((name, "won"))
    except ConcurrencyError:
        results.put((name, "conflict"))
    finally:
        log.engine.dispose()


@pytest.mark.parametrize("round_no", range(3))
def test_two_writers_racing_on_one_stream_exactly_one_wins(
    migrated_url: str, round_no: int
) -> None:
    barrier, results = SPAWN.Barrier(2), SPAWN.Queue()
    stream = f"doc:race-{round_no}"
    racers = [
        SPAWN.Process(target=_racer, args=(migrated_url, name, stream, barrier, results))
        for name in ("left", "right")
    ]
    for process in racers:
        process.start()
    outcome = dict(results.get(timeout=60) for _ in racers)
    for process in racers:
        process.join(timeout=60)
    assert sorted(outcome.values()) == ["conflict", "won"]
    winner = next(name for name, result in outcome.items() if result == "won")
    log = EventLog(make_engine(migrated_url), clock=utc_now)
    stored = log.read_stream(stream)
    log.engine.dispose()
    assert [e.event_id for e in stored] == [e.event_id for e in _events(winner, stream, count=3)]
