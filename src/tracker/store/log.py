"""The append-only event log.

Appends are serialised (SQLite: one writer via BEGIN IMMEDIATE; PostgreSQL: one
transaction-scoped advisory lock), so positions become visible in commit order
and a reader tailing ``position > checkpoint`` never skips a late commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

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
from tracker.store.engine import describe, write_transaction
from tracker.store.schema import events

# One key for every appender on a database; any constant works if all writers agree.
APPEND_LOCK_KEY = 7_346_104_200
_ID_CHUNK = 500

_COLUMNS = (
    events.c.position,
    events.c.stream,
    events.c.version,
    events.c.type,
    events.c.schema_version,
    events.c.data,
    events.c.occurred_at,
    events.c.recorded_at,
    events.c.event_id,
)


@dataclass(frozen=True, slots=True)
class AppendResult:
    """Positions of what a call appended, and of events that were already stored."""

    appended: tuple[int, ...]
    already_stored: tuple[int, ...]

    @property
    def positions(self) -> tuple[int, ...]:
        return tuple(sorted(self.appended + self.already_stored))


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
        self._postgres = engine.dialect.name == "postgresql"

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
        try:
            with write_transaction(self.engine) as conn:
                return self.append_in(conn, batches)
        except IntegrityError as exc:
            # Only reachable if a writer ignored the append lock: report it as the clash it is.
            raise StorageError(f"conflicting append: {describe(exc)}") from None
        except SQLAlchemyError as exc:
            raise StorageError(f"append failed: {describe(exc)}") from None

    def append_in(self, conn: Connection, batches: Sequence[StreamBatch]) -> AppendResult:
        """Append inside a write transaction the caller owns (e.g. with projection rows)."""
        self.lock_appends(conn)
        stored = self._stored_positions(conn, [e.event_id for b in batches for e in b.events])
        recorded_at = self._clock()
        rows: list[dict[str, Any]] = []
        already: list[int] = []
        for batch in batches:
            fresh = [e for e in batch.events if e.event_id not in stored]
            already.extend(stored[e.event_id] for e in batch.events if e.event_id in stored)
            if not fresh:
                continue
            current = self._stream_version(conn, batch.stream)
            _check_expected(batch.stream, batch.expected_version, current)
            seen: set[uuid.UUID] = set()
            for event in fresh:
                if event.event_id in seen:
                    continue
                seen.add(event.event_id)
                current += 1
                rows.append(
                    {
                        "event_id": event.event_id,
                        "stream": batch.stream,
                        "version": current,
                        "type": event.type,
                        "schema_version": event.schema_version,
                        "data": event.data,
                        "occurred_at": event.occurred_at,
                        "recorded_at": recorded_at,
                    }
                )
        if not rows:
            return AppendResult((), tuple(already))
        result = conn.execute(
            sa.insert(events).returning(events.c.position, sort_by_parameter_order=True), rows
        )
        return AppendResult(tuple(result.scalars()), tuple(already))

    def lock_appends(self, conn: Connection) -> None:
        """Serialise appenders so positions become visible in order (no-op on SQLite)."""
        if self._postgres:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPEND_LOCK_KEY})

    def _stored_positions(self, conn: Connection, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
        found: dict[uuid.UUID, int] = {}
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), _ID_CHUNK):
            chunk = unique[start : start + _ID_CHUNK]
            query = sa.select(events.c.event_id, events.c.position).where(
                events.c.event_id.in_(chunk)
            )
            found.update((row.event_id, row.position) for row in conn.execute(query))
        return found

    @staticmethod
    def _stream_version(conn: Connection, stream: str) -> int:
        query = sa.select(sa.func.max(events.c.version)).where(events.c.stream == stream)
        return conn.execute(query).scalar_one_or_none() or 0

    # -- reading -------------------------------------------------------------

    def stream_version(self, stream: str) -> int:
        """The stream's last version; 0 when it has no events."""
        with self._reading() as conn:
            return self._stream_version(conn, stream)

    def read_stream(
        self, stream: str, *, after_version: int = 0, limit: int | None = None
    ) -> list[RecordedEvent]:
        query = (
            sa.select(*_COLUMNS)
            .where(events.c.stream == stream, events.c.version > after_version)
            .order_by(events.c.version)
            .limit(limit)
        )
        with self._reading() as conn:
            return [self._decode(row) for row in conn.execute(query)]

    def read_after(
        self,
        position: int,
        *,
        limit: int = 1000,
        types: Sequence[str] | None = None,
        until: int | None = None,
    ) -> list[RecordedEvent]:
        """One page of the whole log, in order, strictly after ``position``."""
        query = sa.select(*_COLUMNS).where(events.c.position > position)
        if until is not None:
            query = query.where(events.c.position <= until)
        if types:
            query = query.where(events.c.type.in_(list(types)))
        query = query.order_by(events.c.position).limit(limit)
        with self._reading() as conn:
            return [self._decode(row) for row in conn.execute(query)]

    def iter_after(
        self, position: int = 0, *, page_size: int = 1000, until: int | None = None
    ) -> Iterator[RecordedEvent]:
        """The whole log after ``position``, read page by page."""
        while page := self.read_after(position, limit=page_size, until=until):
            yield from page
            position = page[-1].position

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

    def _decode(self, row: Any) -> RecordedEvent:
        type_name, version, data = row[3], row[4], row[5]
        if self._upcasters.needs_upcast(type_name, version):
            version, data = self._upcasters.upcast(type_name, version, data)
        return RecordedEvent(
            row[0], row[1], row[2], type_name, version, data, row[6], row[7], row[8]
        )


def _check_expected(stream: str, expected: int | ExpectedVersion, current: int) -> None:
    if expected is ANY:
        return
    if expected is NO_STREAM:
        if current != 0:
            raise ConcurrencyError(stream, "no stream", current)
        return
    if current != expected:
        raise ConcurrencyError(stream, expected, current)
