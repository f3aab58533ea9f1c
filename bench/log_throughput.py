"""Event log throughput: ours (SQLite, PostgreSQL) beside eventsourcing and raw sqlite3.

Run: .venv/bin/python bench/log_throughput.py [--events 50000] [--single 2000] [--pg URL]
     .venv/bin/python bench/log_throughput.py --growth 1000000   (SQLite only)

Everything runs in one process, on the same disk, with the same payload size and the
same durability (SQLite WAL + synchronous=FULL; PostgreSQL with fsync on). Without
--pg a throwaway PostgreSQL cluster is started (see tests/pg_cluster.py).

--growth N appends N events in batches to each SQLite contestant and prints the
append rate of the 10,000 events before the log holds 10k, 100k, ... N events: an
append that slows as the log grows shows here.
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


def ours_appender(url: str) -> tuple[EventLog, Callable[[int, int], int]]:
    engine = make_engine(url)
    upgrade(engine)
    log = EventLog(engine, clock=lambda: datetime.now(UTC))

    def append(first: int, count: int) -> int:
        for start in range(first, first + count, BATCH):
            log.append(
                f"doc:{start}",
                [
                    NewEvent(uuid.uuid4(), "FactAsserted", payload(i), T0)
                    for i in range(start, start + BATCH)
                ],
            )
        return count

    return log, append


def ours(url: str, events: int, single: int) -> dict[str, float]:
    log, append = ours_appender(url)
    engine = log.engine

    def batched() -> int:
        return append(0, events)

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


def stored(i: int, originator: uuid.UUID, version: int) -> Any:
    from eventsourcing.persistence import StoredEvent

    state = json.dumps(payload(i)).encode()
    return StoredEvent(
        originator_id=originator,
        originator_version=version,
        topic="tracker:FactAsserted",
        state=state,
    )


def library_appender(recorder: Any) -> Callable[[int, int], int]:
    recorder.create_table()

    def append(first: int, count: int) -> int:
        for start in range(first, first + count, BATCH):
            originator = uuid.uuid4()
            recorder.insert_events(
                [stored(i, originator, i - start + 1) for i in range(start, start + BATCH)]
            )
        return count

    return append


def library(make_recorder: Callable[[], Any], events: int, single: int) -> dict[str, float]:
    recorder = make_recorder()
    append = library_appender(recorder)

    def batched() -> int:
        return append(0, events)

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


def raw_connection(path: Path) -> sqlite3.Connection:
    """Our schema (as the migrations leave it), driven by bare sqlite3."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute(
        "CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, event_id BLOB,"
        " stream TEXT, version INTEGER, type TEXT, schema_version INTEGER, data TEXT,"
        " occurred_at TEXT, recorded_at TEXT, UNIQUE(stream, version), UNIQUE(stream, event_id))"
    )
    return conn


RAW_INSERT = (
    "INSERT INTO events (event_id, stream, version, type, schema_version, data,"
    " occurred_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


def raw_appender(conn: sqlite3.Connection) -> Callable[[int, int], int]:
    def append(first: int, count: int) -> int:
        for start in range(first, first + count, BATCH):
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(RAW_INSERT, raw_rows(start, BATCH))
            conn.execute("COMMIT")
        return count

    return append


def raw_rows(start: int, count: int) -> Iterator[tuple[Any, ...]]:
    now = T0.isoformat()
    for i in range(start, start + count):
        yield (
            uuid.uuid4().bytes,
            f"doc:{start}",
            i - start + 1,
            "FactAsserted",
            1,
            json.dumps(payload(i)),
            now,
            now,
        )


def raw_sqlite(path: Path, events: int, single: int) -> dict[str, float]:
    conn = raw_connection(path)
    append = raw_appender(conn)

    def batched() -> int:
        return append(0, events)

    def one_by_one() -> int:
        for i in range(single):
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(RAW_INSERT, raw_rows(events + i, 1))
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


GROWTH_WINDOW = 10_000
GROWTH_SLICE = 1_000


def growth(total: int) -> None:
    """Batched append rate on SQLite as each log grows, the contestants taking turns."""
    from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore

    marks = [m for m in (10_000, 100_000, 1_000_000, 10_000_000) if m < total] + [total]
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as scratch:
        root = Path(scratch)
        log, ours_append = ours_appender(f"sqlite:///{root / 'ours.db'}")
        raw = raw_connection(root / "raw.db")
        appenders = {
            "tracker sqlite": ours_append,
            "eventsourcing sqlite": library_appender(
                SQLiteApplicationRecorder(SQLiteDatastore(str(root / "lib.db")))
            ),
            "raw sqlite3 (our schema)": raw_appender(raw),
        }
        rates: dict[str, list[float]] = {name: [] for name in appenders}
        done = 0
        for mark in marks:
            start = max(done, mark - GROWTH_WINDOW)
            for append in appenders.values():
                append(done, start - done)
            # The window is timed in slices, the contestants taking turns slice by slice,
            # so that a burst of load on the machine falls on all of them alike.
            spent = dict.fromkeys(appenders, 0.0)
            for first in range(start, mark, GROWTH_SLICE):
                for name, append in appenders.items():
                    began = time.perf_counter()
                    append(first, min(GROWTH_SLICE, mark - first))
                    spent[name] += time.perf_counter() - began
            for name in appenders:
                rates[name].append(rate(mark - start, spent[name]))
            done = mark
        log.engine.dispose()
        raw.close()
    print(
        f"batched append ({BATCH}/commit) on SQLite, ev/s over the {GROWTH_WINDOW:,} events "
        "before the log holds:"
    )
    print(f"{'':26}" + "".join(f"{m:>12,}" for m in marks) + f"{'last/first':>12}")
    for name, row in rates.items():
        print(f"{name:26}" + "".join(f"{r:12,.0f}" for r in row) + f"{row[-1] / row[0]:12.2f}")
    ours_rates, lib_rates = rates["tracker sqlite"], rates["eventsourcing sqlite"]
    print(
        "tracker / eventsourcing: "
        + ", ".join(f"{o / lib:.2f}x" for o, lib in zip(ours_rates, lib_rates, strict=True))
        + "   (targets: >= 1.0x; last within 20% of first)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--single", type=int, default=2_000)
    parser.add_argument("--pg", help="PostgreSQL admin URL (default: a throwaway cluster)")
    parser.add_argument(
        "--growth", type=int, metavar="N", help="append rate on SQLite up to N events, then stop"
    )
    args = parser.parse_args()
    if args.growth:
        growth(args.growth)
        return

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
        "ratios (targets: batched, single and read >= 1.0x eventsourcing, on SQLite and "
        "on PostgreSQL; SQLite read >= 300,000 ev/s)"
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
