"""The append-only event log.

Appends are serialised (SQLite: one writer via BEGIN IMMEDIATE; PostgreSQL: one
transaction-scoped advisory lock), so positions become visible in commit order
and a reader tailing ``position > checkpoint`` never skips a late commit.

The two hot paths, inserting a batch and reading pages, talk to the driver with
pre-encoded rows: SQLAlchemy's per-value bind and result processing cost more
than the database work itself. Everything else goes through Core.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from tracker.domain.event_store import EventStore
from tracker.domain.log import (
    ANY,
    NO_STREAM,
    AppendResult,
    ExpectedVersion,
    StreamBatch,
    Upcasters,
    check_expected,
)
from tracker.errors import StorageError
from tracker.store.codec import INSERT_FIELDS, EventCodec
from tracker.store.driver import Driver, first_line
from tracker.store.engine import translated, unpinged
from tracker.store.locks import APPEND_LOCK_KEY
from tracker.store.log_reads import LogReads

_ID_CHUNK = 500

# One stream's events, inserted only if the stream is at the expected version (NULL:
# any) and holds none of them; versions follow the one read here, in the given order.
_GUARDED_INSERT = f"""
INSERT INTO events ({INSERT_FIELDS})
SELECT e.event_id, s.stream, s.version + e.n::int, e.type, e.schema_version, e.data,
       e.occurred_at, %(recorded)b
FROM (SELECT %(stream)b::text AS stream, coalesce(
        (SELECT max(version) FROM events WHERE stream = %(stream)b::text), 0) AS version) AS s,
     unnest(%(ids)b::uuid[], %(types)b::text[], %(schemas)b::int[], %(data)b::jsonb[],
            %(occurred)b::timestamptz[])
         WITH ORDINALITY AS e(event_id, type, schema_version, data, occurred_at, n)
WHERE (%(expected)b::int IS NULL OR s.version = %(expected)b::int)
  AND NOT EXISTS (
      SELECT 1 FROM events WHERE stream = %(stream)b::text AND event_id = ANY(%(ids)b::uuid[]))
ORDER BY e.n
RETURNING version, position
"""


class EventLog(LogReads, EventStore):
    """The event store on SQLite or PostgreSQL (see ``tracker.domain.event_store``)."""

    def __init__(
        self,
        engine: Engine,
        *,
        clock: Callable[[], datetime],
        upcasters: Upcasters | None = None,
    ) -> None:
        self.engine = engine
        self._clock = clock
        self._driver = Driver(engine)
        self._postgres = self._driver.postgres
        self.codec = EventCodec(postgres=self._postgres, upcasters=upcasters or Upcasters())
        self._mark = self._driver.mark
        self._insert_sql = f"INSERT INTO events ({INSERT_FIELDS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"

    # -- writing -------------------------------------------------------------

    def append_batches(self, batches: Sequence[StreamBatch]) -> AppendResult:
        """Append to several streams in one transaction: all of it, or none of it.

        Events whose id is already stored are left out (re-ingestion is idempotent);
        a batch made only of stored events passes whatever its expected version.
        """
        if not self._postgres:
            return self._append_embedded(batches)
        return self._append_postgres(batches)

    def _append_embedded(self, batches: Sequence[StreamBatch]) -> AppendResult:
        # An append is most often one small batch per commit, where SQLAlchemy's
        # connection and transaction bookkeeping costs as much as SQLite's own work
        # short of the fsync: on SQLite it runs on the pooled driver connection.
        with translated(self.engine, "write failed"):
            raw = self.engine.raw_connection()
        cursor = raw.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE")
            result = self._append_with(cursor, batches)
            raw.commit()
            return result
        except BaseException as exc:
            with contextlib.suppress(self._driver.errors):
                raw.rollback()  # a connection that is gone has nothing to roll back
            if isinstance(exc, self._driver.errors):
                raise StorageError(f"write failed: {first_line(exc)}") from None
            raise
        finally:
            cursor.close()
            raw.close()

    def _append_postgres(self, batches: Sequence[StreamBatch]) -> AppendResult:
        # Round trips are the cost here. One stream's events are first tried in one
        # pipeline (see _append_guarded); otherwise BEGIN, the lock and each stream's
        # state go in one pipeline, the insert and COMMIT in another. BEGIN and COMMIT are
        # sent as statements on a connection in autocommit mode, since the driver sends
        # its own BEGIN in a round trip of its own. The connection is not pinged first:
        # a dead one fails the first pipeline before anything is committed. One found
        # dead is replaced by a pinged one and the append tried once more; appends are
        # idempotent, so a retry after a commit whose answer was lost stores nothing twice.
        for attempt in (1, 2):
            pinged = unpinged() if attempt == 1 else contextlib.nullcontext()
            with pinged, translated(self.engine, "write failed"):
                raw = self.engine.raw_connection()
            pg: Any = raw.driver_connection
            try:
                pg.autocommit = True
                with pg.cursor() as cursor:
                    if len(batches) == 1 and batches[0].events:
                        done = self._append_guarded(pg, cursor, batches[0])
                        if done is not None:
                            return done
                    with pg.pipeline() as pipeline:
                        cursor.execute("BEGIN")
                        states = self._stream_states_pipelined(cursor, batches, pipeline)
                        rows, already, ids = self._plan(batches, states)
                        if rows:
                            self._insert_returning(cursor, rows)
                        pg.execute("COMMIT")
                    # Leaving the pipeline sent the insert and COMMIT and read their answers.
                    positions = self._returned(cursor, rows) if rows else ()
                return AppendResult(positions, already, ids)
            except BaseException as exc:
                dead = bool(pg.closed)
                if dead:
                    raw.invalidate()
                else:
                    with contextlib.suppress(self._driver.errors):
                        pg.rollback()
                if isinstance(exc, self._driver.errors):
                    if dead and attempt == 1:
                        continue
                    raise StorageError(f"write failed: {first_line(exc)}") from None
                raise
            finally:
                if not pg.closed:
                    with contextlib.suppress(self._driver.errors):
                        pg.autocommit = False  # as the pool lends it to everyone else
                raw.close()
        raise AssertionError("unreachable")  # pragma: no cover

    def _append_guarded(self, pg: Any, cursor: Any, batch: StreamBatch) -> AppendResult | None:
        """PostgreSQL, one stream: the whole append in one round trip, taken on the guess
        that the stream is where its writer expects and holds none of these events. One
        statement reads the stream's version and inserts under that guard, the versions
        counted from the version it read; BEGIN, the lock and COMMIT go in the same
        pipeline. When the guess is wrong it inserts nothing and commits an empty
        transaction, and None sends the caller the long way, which sorts out stored
        events and conflicts."""
        fresh = {e.event_id: e for e in batch.events}
        recorded, encode = self.codec.recorded(self._clock()), self.codec.encode
        rows = [encode(e, batch.stream, 0, recorded) for e in fresh.values()]
        ids, _, _, types, schemas, data, occurred, _ = (list(c) for c in zip(*rows, strict=True))
        with pg.pipeline():
            cursor.execute("BEGIN")
            _lock_appends(cursor)
            cursor.execute(
                _GUARDED_INSERT,
                {
                    "stream": batch.stream,
                    "expected": _version_or_null(batch.expected_version),
                    "ids": ids,
                    "types": types,
                    "schemas": schemas,
                    "data": data,
                    "occurred": occurred,
                    "recorded": recorded,
                },
            )
            pg.execute("COMMIT")
        inserted = sorted(cursor.fetchall())
        if len(inserted) != len(rows):
            return None
        return AppendResult(tuple(p for _, p in inserted), (), frozenset(fresh))

    def append_in(self, conn: Connection, batches: Sequence[StreamBatch]) -> AppendResult:
        """Append inside a write transaction the caller owns (e.g. with projection rows)."""
        with translated(self.engine, "write failed"):
            self.lock_appends(conn)
            with self._driver.cursor(conn) as cursor:
                return self._append_with(cursor, batches)

    def _append_with(self, cursor: Any, batches: Sequence[StreamBatch]) -> AppendResult:
        states = [self._stream_state(cursor, batch) for batch in batches]
        rows, already, ids = self._plan(batches, states)
        if not rows:
            return AppendResult((), already)
        self._insert(cursor, rows)
        return AppendResult(self._positions(cursor, rows), already, ids)

    def _plan(
        self, batches: Sequence[StreamBatch], states: Sequence[tuple[int, dict[uuid.UUID, int]]]
    ) -> tuple[list[tuple[Any, ...]], tuple[int, ...], frozenset[uuid.UUID]]:
        """The rows to insert (stream and version 2nd and 3rd), the positions of events
        already stored, and the ids of those to append; expected versions checked."""
        recorded, encode = self.codec.recorded(self._clock()), self.codec.encode
        rows: list[tuple[Any, ...]] = []
        already: list[int] = []
        ids: list[uuid.UUID] = []
        for batch, (current, stored) in zip(batches, states, strict=True):
            if stored:
                already.extend(stored[e.event_id] for e in batch.events if e.event_id in stored)
                fresh = {e.event_id: e for e in batch.events if e.event_id not in stored}
            else:
                fresh = {e.event_id: e for e in batch.events}
            if not fresh:
                continue
            check_expected(batch.stream, batch.expected_version, current)
            ids.extend(fresh)
            rows.extend(
                encode(event, batch.stream, current + offset, recorded)
                for offset, event in enumerate(fresh.values(), start=1)
            )
        return rows, tuple(already), frozenset(ids)

    @staticmethod
    def _stream_states_pipelined(
        cursor: Any, batches: Sequence[StreamBatch], pipeline: Any
    ) -> list[tuple[int, dict[uuid.UUID, int]]]:
        """PostgreSQL: take the append lock and read every stream's state in one round
        trip. Each statement reads after the one before it, so under the lock."""
        _lock_appends(cursor)
        readers = []
        for batch in batches:
            reader = cursor.connection.cursor()
            reader.execute(
                "SELECT version, event_id, position FROM events WHERE stream = %s AND "
                "(version = (SELECT max(version) FROM events WHERE stream = %s) "
                "OR event_id = ANY(%b))",
                (batch.stream, batch.stream, list(dict.fromkeys(e.event_id for e in batch.events))),
            )
            readers.append((batch, reader))
        pipeline.sync()
        states = []
        for batch, reader in readers:
            wanted = {e.event_id for e in batch.events}
            found = reader.fetchall()
            reader.close()
            current = max((version for version, _, _ in found), default=0)
            states.append((current, {e: p for _, e, p in found if e in wanted}))
        return states

    @staticmethod
    def _insert_returning(cursor: Any, rows: list[tuple[Any, ...]]) -> None:
        """PostgreSQL: the whole batch as one statement that hands back its positions."""
        cursor.execute(
            f"INSERT INTO events ({INSERT_FIELDS}) SELECT * FROM unnest(%b::uuid[], "
            "%b::text[], %b::int[], %b::text[], %b::int[], %b::jsonb[], %b::timestamptz[], "
            "%b::timestamptz[]) ON CONFLICT (stream, event_id) DO NOTHING "
            "RETURNING stream, version, position",
            [list(column) for column in zip(*rows, strict=True)],
        )

    @staticmethod
    def _returned(cursor: Any, rows: list[tuple[Any, ...]]) -> tuple[int, ...]:
        """Positions by (stream, version) as a statement handed them back, in row order.
        Under the lock nothing else wrote these streams, so every row is there."""
        by_version = {(stream, version): position for stream, version, position in cursor}
        return tuple(by_version[(row[1], row[2])] for row in rows)

    def _positions(self, cursor: Any, rows: list[tuple[Any, ...]]) -> tuple[int, ...]:
        """The positions just written, in the order of the rows."""
        if not self._postgres:
            # One writer holds the file, and AUTOINCREMENT numbers each row one past the
            # last: the rows took the positions ending at the last one inserted.
            cursor.execute("SELECT last_insert_rowid()")
            last = int(cursor.fetchone()[0])
            return tuple(range(last - len(rows) + 1, last + 1))
        # Appends are serialised: what this call wrote are the log's newest rows.
        cursor.execute(
            "SELECT stream, version, position FROM events ORDER BY position DESC LIMIT %s",
            (len(rows),),
        )
        return self._returned(cursor, rows)

    def _insert(self, cursor: Any, rows: list[tuple[Any, ...]]) -> None:
        if not self._postgres:
            cursor.executemany(self._insert_sql, rows)  # SQLite's executemany loops in C
            return
        # PostgreSQL pays per statement: COPY streams the whole batch as one.
        with cursor.copy(f"COPY events ({INSERT_FIELDS}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def _stream_state(self, cursor: Any, batch: StreamBatch) -> tuple[int, dict[uuid.UUID, int]]:
        """The stream's version, and which of the batch's events it already holds."""
        m = self._mark
        found: dict[uuid.UUID, int] = {}
        cursor.execute(f"SELECT max(version) FROM events WHERE stream = {m}", (batch.stream,))
        version = cursor.fetchone()[0] or 0
        if not version:
            return 0, found  # a new stream holds nothing yet
        ids = list(dict.fromkeys(e.event_id for e in batch.events))
        keys = [i if self._postgres else i.bytes for i in ids]
        for start in range(0, len(keys), _ID_CHUNK):
            chunk = keys[start : start + _ID_CHUNK]
            cursor.execute(
                f"SELECT event_id, position FROM events WHERE stream = {m} AND event_id IN "
                f"({', '.join([m] * len(chunk))})",
                (batch.stream, *chunk),
            )
            found.update((_stored_uuid(e), p) for e, p in cursor.fetchall())
        return version, found

    def lock_appends(self, conn: Connection) -> None:
        """Serialise appenders so positions become visible in order (no-op on SQLite)."""
        if self._postgres:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPEND_LOCK_KEY})


def _lock_appends(cursor: Any) -> None:
    """PostgreSQL, on the driver's cursor: one appender at a time, to the transaction's end."""
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", (APPEND_LOCK_KEY,))


def _version_or_null(expected: int | ExpectedVersion) -> int | None:
    """An expected version as the guarded insert compares it: NULL for any version."""
    if expected is ANY:
        return None
    if expected is NO_STREAM:
        return 0
    assert isinstance(expected, int)
    return expected


def _stored_uuid(stored: uuid.UUID | bytes | str) -> uuid.UUID:
    if isinstance(stored, uuid.UUID):
        return stored
    return uuid.UUID(bytes=stored) if isinstance(stored, bytes) else uuid.UUID(stored)
