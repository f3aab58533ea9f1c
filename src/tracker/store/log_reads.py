"""Reading the event log: by stream, by id, and page by page in position order.

Pages are read on the driver's own cursor as plain tuples and decoded by the codec:
SQLAlchemy's per-row result processing costs more than the database's work.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from tracker.domain.log import RecordedEvent
from tracker.store.codec import STORED_FIELDS, EventCodec
from tracker.store.driver import Driver
from tracker.store.engine import translated
from tracker.store.schema import events


class LogReads:
    """The reading half of ``EventLog``, over the engine, driver and codec it sets up."""

    engine: Engine
    codec: EventCodec
    _driver: Driver
    _postgres: bool
    _mark: str

    def stream_version(self, stream: str) -> int:
        """The stream's last version; 0 when it has no events."""
        query = sa.select(sa.func.max(events.c.version)).where(events.c.stream == stream)
        with self._reading() as conn:
            return conn.execute(query).scalar_one_or_none() or 0

    def read_stream(
        self, stream: str, *, after_version: int = 0, limit: int | None = None
    ) -> list[RecordedEvent]:
        m = self._mark
        sql = (
            f"SELECT {STORED_FIELDS} FROM events WHERE stream = {m} AND version > {m} "
            "ORDER BY version"
        )
        params: list[Any] = [stream, after_version]
        if limit is not None:
            sql += f" LIMIT {m}"
            params.append(limit)
        return self._select(sql, params)

    def find(self, event_id: uuid.UUID) -> RecordedEvent | None:
        """The event with this id, in whichever stream it is; None if there is none.

        Ids are indexed per stream only (appends stay cheap), so this reads the whole
        table: fine for a person's one look-up, not for a hot path.
        """
        key = event_id if self._postgres else event_id.bytes
        found = self._select(
            f"SELECT {STORED_FIELDS} FROM events WHERE event_id = {self._mark} ORDER BY position",
            [key],
        )
        return found[0] if found else None

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

    def tally(
        self, position: int, *, limit: int | None = None, until: int | None = None
    ) -> list[tuple[str, int, int, int]]:
        """(type, schema version, how many, last position) of the events after
        ``position``: the next ``limit`` of them, or those up to ``until``. What a reader
        needs to decide which payloads to decode at all, counted in the database."""
        sql, params = self._after_query(
            position, limit, None, until, fields="type, schema_version, position"
        )
        rows = self._fetch(
            f"SELECT type, schema_version, count(*), max(position) FROM ({sql}) AS page "
            "GROUP BY type, schema_version",
            params,
        )
        return [(t, v, n, last) for t, v, n, last in rows]

    def _after_query(
        self,
        position: int,
        limit: int | None,
        types: Sequence[str] | None,
        until: int | None,
        *,
        fields: str = STORED_FIELDS,
    ) -> tuple[str, list[Any]]:
        m = self._mark
        sql = f"SELECT {fields} FROM events WHERE position > {m}"
        params: list[Any] = [position]
        if until is not None:
            sql += f" AND position <= {m}"
            params.append(until)
        if types:
            sql += f" AND type IN ({', '.join([m] * len(types))})"
            params.extend(types)
        sql += " ORDER BY position"
        if limit is not None:
            sql += f" LIMIT {m}"
            params.append(limit)
        return sql, params

    def iter_after(
        self, position: int = 0, *, page_size: int = 1000, until: int | None = None
    ) -> Iterator[RecordedEvent]:
        """The whole log after ``position``, read page by page."""
        decode = self.codec.decoder()
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
        with translated(self.engine, "read failed"), self.engine.connect() as conn:
            yield conn

    def _select(self, sql: str, params: Sequence[Any]) -> list[RecordedEvent]:
        decode = self.codec.decoder()
        return [decode(row) for row in self._fetch(sql, params)]

    def _fetch(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        # The driver's own cursor: plain tuples, no per-row wrapping.
        return self._driver.fetch(sql, params)
