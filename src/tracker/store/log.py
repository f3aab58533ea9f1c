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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from tracker.domain.log import (
    ANY,
    NO_STREAM,
    ExpectedVersion,
    NewEvent,
    RecordedEvent,
    StreamBatch,
    Upcasters,
)
from tracker.errors import ConcurrencyError, StorageError
from tracker.store.driver import Driver, first_line
from tracker.store.engine import describe, dumps, write_transaction
from tracker.store.schema import events, utc_text

# One key for every appender on a database; any constant works if all writers agree.
APPEND_LOCK_KEY = 7_346_104_200
_ID_CHUNK = 500
_FIELDS = (
    "position, stream, version, type, schema_version, data, occurred_at, recorded_at, event_id"
)
_INSERT_FIELDS = "event_id, stream, version, type, schema_version, data, occurred_at, recorded_at"


@dataclass(frozen=True, slots=True)
class AppendResult:
    """Positions of what a call appended, and of events that were already stored."""

    appended: tuple[int, ...]
    already_stored: tuple[int, ...]
    appended_ids: frozenset[uuid.UUID] = frozenset()


class EventLog:
    def __init__(
        self,
        engine: Engine,
        *,
        clock: Callable[[], datetime],
        upcasters: Upcasters | None = None,
    ) -> None:
        self.engine = engine
        self._clock = clock
        self._upcasters = upcasters or Upcasters()
        self._driver = Driver(engine)
        self._postgres = self._driver.postgres
        self._mark = self._driver.mark
        self._insert_sql = f"INSERT INTO events ({_INSERT_FIELDS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"

    # -- writing -------------------------------------------------------------

    def append(
        self,
        stream: str,
        new_events: Sequence[NewEvent],
        *,
        expected_version: int | ExpectedVersion = ANY,
    ) -> AppendResult:
        """Append events to one stream atomically; see :meth:`append_batches`."""
        return self.append_batches([StreamBatch(stream, tuple(new_events), expected_version)])

    def append_batches(self, batches: Sequence[StreamBatch]) -> AppendResult:
        """Append to several streams in one transaction: all of it, or none of it.

        Events whose id is already stored are left out (re-ingestion is idempotent);
        a batch made only of stored events passes whatever its expected version.
        """
        if not self._postgres:
            return self._append_embedded(batches)
        with write_transaction(self.engine) as conn:
            return self.append_in(conn, batches)

    def _append_embedded(self, batches: Sequence[StreamBatch]) -> AppendResult:
        # An append is most often one small batch per commit, where SQLAlchemy's
        # connection and transaction bookkeeping costs as much as SQLite's own work
        # short of the fsync: on SQLite it runs on the pooled driver connection.
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

    def append_in(self, conn: Connection, batches: Sequence[StreamBatch]) -> AppendResult:
        """Append inside a write transaction the caller owns (e.g. with projection rows)."""
        self.lock_appends(conn)
        with self._driver.cursor(conn) as cursor:
            return self._append_with(cursor, batches)

    def _append_with(self, cursor: Any, batches: Sequence[StreamBatch]) -> AppendResult:
        recorded_at = self._clock()
        recorded = recorded_at if self._postgres else utc_text(recorded_at)
        rows: list[tuple[Any, ...]] = []
        written: list[tuple[str, int]] = []
        already: list[int] = []
        ids: list[uuid.UUID] = []
        for batch in batches:
            current, stored = self._stream_state(cursor, batch)
            already.extend(stored[e.event_id] for e in batch.events if e.event_id in stored)
            fresh = {e.event_id: e for e in batch.events if e.event_id not in stored}
            if not fresh:
                continue
            _check_expected(batch.stream, batch.expected_version, current)
            written.append((batch.stream, current))
            ids.extend(fresh)
            rows.extend(
                self._encode(event, batch.stream, current + offset, recorded)
                for offset, event in enumerate(fresh.values(), start=1)
            )
        if not rows:
            return AppendResult((), tuple(already))
        self._insert(cursor, rows)
        return AppendResult(
            self._positions(cursor, written, len(rows)), tuple(already), frozenset(ids)
        )

    def _positions(
        self, cursor: Any, written: list[tuple[str, int]], count: int
    ) -> tuple[int, ...]:
        """The positions just written, in the order of the rows."""
        if not self._postgres:
            # One writer holds the file, and AUTOINCREMENT numbers each row one past the
            # last: the rows took the ``count`` positions ending at the last one inserted.
            cursor.execute("SELECT last_insert_rowid()")
            last = int(cursor.fetchone()[0])
            return tuple(range(last - count + 1, last + 1))
        # Appends are serialised, so what this call wrote is exactly each stream's new tail.
        appended: list[int] = []
        m = self._mark
        for stream, before in written:
            cursor.execute(
                f"SELECT position FROM events WHERE stream = {m} AND version > {m} "
                "ORDER BY version",
                (stream, before),
            )
            appended.extend(row[0] for row in cursor.fetchall())
        return tuple(appended)

    def _insert(self, cursor: Any, rows: list[tuple[Any, ...]]) -> None:
        if not self._postgres:
            cursor.executemany(self._insert_sql, rows)  # SQLite's executemany loops in C
            return
        # PostgreSQL pays per statement: COPY streams the whole batch as one.
        with cursor.copy(f"COPY events ({_INSERT_FIELDS}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def _encode(self, event: NewEvent, stream: str, version: int, recorded: Any) -> tuple[Any, ...]:
        if self._postgres:
            return (
                event.event_id,
                stream,
                version,
                event.type,
                event.schema_version,
                dumps(event.data),
                event.occurred_at.astimezone(UTC),
                recorded,
            )
        return (
            event.event_id.bytes,
            stream,
            version,
            event.type,
            event.schema_version,
            dumps(event.data),
            utc_text(event.occurred_at),
            recorded,
        )

    def _stream_state(self, cursor: Any, batch: StreamBatch) -> tuple[int, dict[uuid.UUID, int]]:
        """The stream's version, and which of the batch's events it already holds."""
        m = self._mark
        ids = list(dict.fromkeys(e.event_id for e in batch.events))
        keys = [i if self._postgres else i.bytes for i in ids]
        found: dict[uuid.UUID, int] = {}
        cursor.execute(f"SELECT max(version) FROM events WHERE stream = {m}", (batch.stream,))
        version = cursor.fetchone()[0] or 0
        if not version:
            return 0, found  # a new stream holds nothing yet
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

    # -- reading -------------------------------------------------------------

    def stream_version(self, stream: str) -> int:
        """The stream's last version; 0 when it has no events."""
        query = sa.select(sa.func.max(events.c.version)).where(events.c.stream == stream)
        with self._reading() as conn:
            return conn.execute(query).scalar_one_or_none() or 0

    def read_stream(
        self, stream: str, *, after_version: int = 0, limit: int | None = None
    ) -> list[RecordedEvent]:
        m = self._mark
        sql = f"SELECT {_FIELDS} FROM events WHERE stream = {m} AND version > {m} ORDER BY version"
        params: list[Any] = [stream, after_version]
        if limit is not None:
            sql += f" LIMIT {m}"
            params.append(limit)
        return self._select(sql, params)

    def read_after(
        self,
        position: int,
        *,
        limit: int = 1000,
        types: Sequence[str] | None = None,
        until: int | None = None,
    ) -> list[RecordedEvent]:
        """One page of the whole log, in order, strictly after ``position``."""
        return self._select(*self._after_query(position, limit, types, until))

    def _after_query(
        self, position: int, limit: int, types: Sequence[str] | None, until: int | None
    ) -> tuple[str, list[Any]]:
        m = self._mark
        sql = f"SELECT {_FIELDS} FROM events WHERE position > {m}"
        params: list[Any] = [position]
        if until is not None:
            sql += f" AND position <= {m}"
            params.append(until)
        if types:
            sql += f" AND type IN ({', '.join([m] * len(types))})"
            params.extend(types)
        sql += f" ORDER BY position LIMIT {m}"
        params.append(limit)
        return sql, params

    def iter_after(
        self, position: int = 0, *, page_size: int = 1000, until: int | None = None
    ) -> Iterator[RecordedEvent]:
        """The whole log after ``position``, read page by page."""
        decode = self._decoder()
        while rows := self._fetch(*self._after_query(position, page_size, None, until)):
            # Decoded one at a time: events the caller drops die young, sparing the GC.
            for row in rows:
                yield decode(row)
            position = rows[-1][0]

    def last_position(self) -> int:
        with self._reading() as conn:
            return conn.execute(sa.select(sa.func.max(events.c.position))).scalar() or 0

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StorageError(f"read failed: {describe(exc)}") from None

    def _select(self, sql: str, params: Sequence[Any]) -> list[RecordedEvent]:
        decode = self._decoder()
        return [decode(row) for row in self._fetch(sql, params)]

    def _fetch(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        # The driver's own cursor: plain tuples, no per-row wrapping.
        return self._driver.fetch(sql, params)

    def _decoder(self) -> Callable[[tuple[Any, ...]], RecordedEvent]:
        make = RecordedEvent._make
        upcasters = self._upcasters

        if self._postgres:

            def decode(row: tuple[Any, ...]) -> RecordedEvent:
                p, s, v, t, sv, d, o, r, e = row
                event = make((p, s, v, t, sv, d, _utc(o), _utc(r), e))
                return self._upcast(event) if upcasters.needs_upcast(t, sv) else event

        else:
            loads, parse = orjson.loads, datetime.fromisoformat

            def decode(row: tuple[Any, ...]) -> RecordedEvent:
                p, s, v, t, sv, d, o, r, e = row
                event = make((p, s, v, t, sv, loads(d), parse(o), parse(r), e))
                return self._upcast(event) if upcasters.needs_upcast(t, sv) else event

        return decode

    def _upcast(self, event: RecordedEvent) -> RecordedEvent:
        version, data = self._upcasters.upcast(event.type, event.schema_version, event.data)
        return event._replace(schema_version=version, data=data)


def _stored_uuid(stored: uuid.UUID | bytes | str) -> uuid.UUID:
    if isinstance(stored, uuid.UUID):
        return stored
    return uuid.UUID(bytes=stored) if isinstance(stored, bytes) else uuid.UUID(stored)


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is UTC else value.astimezone(UTC)


def _check_expected(stream: str, expected: int | ExpectedVersion, current: int) -> None:
    if expected is ANY:
        return
    if expected is NO_STREAM:
        if current != 0:
            raise ConcurrencyError(stream, "no stream", current)
        return
    if current != expected:
        raise ConcurrencyError(stream, expected, current)
