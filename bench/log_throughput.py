"""Event log throughput: ours (SQLite, PostgreSQL) beside eventsourcing and raw sqlite3.

Run: .venv/bin/python bench/log_throughput.py [--events 50000] [--single 2000] [--pg URL]

Everything runs in one process, on the same disk, with the same payload size and the
same durability (SQLite WAL + synchronous=FULL; PostgreSQL with fsync on). Without
--pg a throwaway PostgreSQL cluster is started (see tests/pg_cluster.py).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from pg_cluster import Cluster

from tracker.domain.log import NewEvent
from tracker.store.engine import make_engine
from tracker.store.log import EventLog
from tracker.store.migrations import upgrade

BATCH = 100
T0 = datetime(2026, 1, 6, 12, tzinfo=UTC)


def payload(i: int) -> dict[str, Any]:
    # About 200 bytes of JSON, like a small fact.
    return {
        "key": f"actor-{i % 977}/pledged/item-{i}",
        "value": True,
        "modality": "conditional",
        "evidence": {"document": f"doc:{i // 50}", "quote": "the hardest yards are still ahead"},
        "n": i,
    }


PAYLOAD_BYTES = len(json.dumps(payload(12345)).encode())


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def timed(action: Callable[[], int]) -> float:
    start = time.perf_counter()
    count = action()
    return rate(count, time.perf_counter() - start)


# -- ours ---------------------------------------------------------------------


def ours(url: str, events: int, single: int) -> dict[str, float]:
    engine = make_engine(url)
    upgrade(engine)
    log = EventLog(engine, clock=lambda: datetime.now(UTC))

    def batched() -> int:
        for start in range(0, events, BATCH):
            log.append(
                f"doc:{start}",
                [
                    NewEvent(uuid.uuid4(), "FactAsserted", payload(i), T0)
                    for i in range(start, start + BATCH)
                ],
            )
        return events

    def one_by_one() -> int:
        for i in range(single):
            log.append(f"single:{i}", [NewEvent(uuid.uuid4(), "FactAsserted", payload(i), T0)])
        return single

    def read() -> int:
        return sum(1 for _ in log.iter_after(0, page_size=5000))

    result = {"batched": timed(batched), "single": timed(one_by_one), "read": timed(read)}
    engine.dispose()
    return result


# -- the eventsourcing library -----------------------------------------------


def library(make_recorder: Callable[[], Any], events: int, single: int) -> dict[str, float]:
    from eventsourcing.persistence import StoredEvent

    recorder = make_recorder()
    recorder.create_table()

    def stored(i: int, originator: uuid.UUID, version: int) -> StoredEvent:
        state = json.dumps(payload(i)).encode()
        return StoredEvent(
            originator_id=originator,
            originator_version=version,
            topic="tracker:FactAsserted",
            state=state,
        )

    def batched() -> int:
        for start in range(0, events, BATCH):
            originator = uuid.uuid4()
            recorder.insert_events(
                [stored(i, originator, i - start + 1) for i in range(start, start + BATCH)]
            )
        return events

    def one_by_one() -> int:
        for i in range(single):
            recorder.insert_events([stored(i, uuid.uuid4(), 1)])
        return single

    def read() -> int:
        count, start = 0, 1
        while page := recorder.select_notifications(start=start, limit=5000):
            for notification in page:
                json.loads(notification.state)
            count += len(page)
            start = page[-1].id + 1
        return count

    return {"batched": timed(batched), "single": timed(one_by_one), "read": timed(read)}


def library_sqlite(path: Path, events: int, single: int) -> dict[str, float]:
    from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore

    return library(lambda: SQLiteApplicationRecorder(SQLiteDatastore(str(path))), events, single)


def library_postgres(url: str, events: int, single: int) -> dict[str, float]:
    from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore

    parts = sa.make_url(url)
    datastore = PostgresDatastore(
        dbname=parts.database or "",
        host=parts.host or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "",
        password=parts.password or "",
    )
    return library(lambda: PostgresApplicationRecorder(datastore), events, single)


# -- raw sqlite3, the ceiling ---------------------------------------------------


def raw_sqlite(path: Path, events: int, single: int) -> dict[str, float]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute(
        "CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT UNIQUE,"
        " stream TEXT, version INTEGER, type TEXT, schema_version INTEGER, data TEXT,"
        " occurred_at TEXT, recorded_at TEXT, UNIQUE(stream, version))"
    )
    now = T0.isoformat()

    def rows(start: int, count: int) -> Iterator[tuple[Any, ...]]:
        for i in range(start, start + count):
            yield (
                uuid.uuid4().hex,
                f"doc:{start}",
                i - start + 1,
                "FactAsserted",
                1,
                json.dumps(payload(i)),
                now,
                now,
            )

    insert = (
        "INSERT INTO events (event_id, stream, version, type, schema_version, data,"
        " occurred_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    )

    def batched() -> int:
        for start in range(0, events, BATCH):
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(insert, rows(start, BATCH))
            conn.execute("COMMIT")
        return events

    def one_by_one() -> int:
        for i in range(single):
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(insert, rows(events + i, 1))
            conn.execute("COMMIT")
        return single

    def read() -> int:
        count = 0
        for row in conn.execute("SELECT * FROM events ORDER BY position"):
            json.loads(row[6])
            count += 1
        return count

    result = {"batched": timed(batched), "single": timed(one_by_one), "read": timed(read)}
    conn.close()
    return result


@contextmanager
def postgres(given: str | None) -> Iterator[Callable[[str], str]]:
    """Yields a function that creates a fresh database and returns its URL."""
    cluster = None if given else Cluster(durable=True)
    admin = given or (cluster.url if cluster else "")
    try:

        def fresh(name: str) -> str:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
            return sa.make_url(admin).set(database=name).render_as_string(hide_password=False)

        yield fresh
    finally:
        if cluster:
            cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--single", type=int, default=2_000)
    parser.add_argument("--pg", help="PostgreSQL admin URL (default: a throwaway cluster)")
    args = parser.parse_args()

    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as scratch, postgres(args.pg) as fresh:
        root = Path(scratch)
        results["tracker sqlite"] = ours(f"sqlite:///{root / 'ours.db'}", args.events, args.single)
        results["eventsourcing sqlite"] = library_sqlite(root / "lib.db", args.events, args.single)
        results["raw sqlite3"] = raw_sqlite(root / "raw.db", args.events, args.single)
        results["tracker postgres"] = ours(fresh("bench_ours"), args.events, args.single)
        results["eventsourcing postgres"] = library_postgres(
            fresh("bench_lib"), args.events, args.single
        )

    print(
        f"events: {args.events} batched ({BATCH}/commit), {args.single} one per commit; "
        f"payload {PAYLOAD_BYTES} B JSON"
    )
    print(f"{'':24} {'batched ev/s':>14} {'single ev/s':>12} {'read ev/s':>12}")
    for name, row in results.items():
        print(f"{name:24} {row['batched']:14,.0f} {row['single']:12,.0f} {row['read']:12,.0f}")
    ours_lite, lib_lite = results["tracker sqlite"], results["eventsourcing sqlite"]
    raw = results["raw sqlite3"]
    ours_pg, lib_pg = results["tracker postgres"], results["eventsourcing postgres"]
    print(
        "ratios (targets on SQLite: batched >= 3x eventsourcing and >= 0.4x raw; "
        "single >= 1x eventsourcing; read >= 300,000 ev/s)"
    )
    print(f"  sqlite batched / eventsourcing: {ours_lite['batched'] / lib_lite['batched']:.2f}x")
    print(f"  sqlite batched / raw sqlite3:   {ours_lite['batched'] / raw['batched']:.2f}x")
    print(f"  sqlite single / eventsourcing:  {ours_lite['single'] / lib_lite['single']:.2f}x")
    print(f"  sqlite read / eventsourcing:    {ours_lite['read'] / lib_lite['read']:.2f}x")
    print(f"  postgres batched / eventsourcing: {ours_pg['batched'] / lib_pg['batched']:.2f}x")
    print(f"  postgres single / eventsourcing:  {ours_pg['single'] / lib_pg['single']:.2f}x")
    print(f"  postgres read / eventsourcing:    {ours_pg['read'] / lib_pg['read']:.2f}x")


if __name__ == "__main__":
    main()
