"""An event store held in memory, for tests and tools that need no database.

It lives in ``store/`` rather than ``domain/`` because it reads through the codec
like the database log does: upcasting stays in one place, and a payload comes
back as a JSON round trip would leave it (lists for tuples, UTC times).
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from tracker.domain.event_store import EventStore
from tracker.domain.log import (
    AppendResult,
    NewEvent,
    RecordedEvent,
    StreamBatch,
    Upcasters,
    check_expected,
)
from tracker.store.codec import EventCodec


class InMemoryEventStore(EventStore):
    """The ``EventStore`` contract over a list; appends serialised by one lock."""

    def __init__(
        self, *, clock: Callable[[], datetime], upcasters: Upcasters | None = None
    ) -> None:
        self._clock = clock
        self._codec = EventCodec(postgres=True, upcasters=upcasters or Upcasters())
        self._events: list[RecordedEvent] = []
        self._streams: dict[str, list[RecordedEvent]] = {}
        self._lock = threading.Lock()

    def append_batches(self, batches: Sequence[StreamBatch]) -> AppendResult:
        with self._lock:
            planned, already = self._plan(batches, self._clock().astimezone(UTC))
            for event in planned:
                self._events.append(event)
                self._streams.setdefault(event.stream, []).append(event)
        return AppendResult(
            tuple(e.position for e in planned),
            tuple(already),
            frozenset(e.event_id for e in planned),
        )

    def _plan(
        self, batches: Sequence[StreamBatch], recorded_at: datetime
    ) -> tuple[list[RecordedEvent], list[int]]:
        """The events to store, numbered, and the positions of those already stored;
        expected versions checked against the streams as they were before the call."""
        planned: list[RecordedEvent] = []
        already: list[int] = []
        for batch in batches:
            stored = {e.event_id: e.position for e in self._streams.get(batch.stream, ())}
            already.extend(stored[e.event_id] for e in batch.events if e.event_id in stored)
            fresh = {e.event_id: e for e in batch.events if e.event_id not in stored}
            if not fresh:
                continue
            current = self.stream_version(batch.stream)
            check_expected(batch.stream, batch.expected_version, current)
            first = len(self._events) + len(planned) + 1
            planned.extend(
                _recorded(event, batch.stream, current + 1 + offset, first + offset, recorded_at)
                for offset, event in enumerate(fresh.values())
            )
        return planned, already

    def stream_version(self, stream: str) -> int:
        found = self._streams.get(stream)
        return found[-1].version if found else 0

    def read_stream(
        self, stream: str, *, after_version: int = 0, limit: int | None = None
    ) -> list[RecordedEvent]:
        found = [e for e in self._streams.get(stream, ()) if e.version > after_version]
        return self._read(found[:limit] if limit is not None else found)

    def find(self, event_id: uuid.UUID) -> RecordedEvent | None:
        found = [e for e in self._events if e.stored_id == event_id]
        return self._read(found[:1])[0] if found else None

    def read_after(
        self,
        position: int,
        *,
        limit: int = 1000,
        types: Sequence[str] | None = None,
        until: int | None = None,
    ) -> list[RecordedEvent]:
        last = len(self._events) if until is None else min(until, len(self._events))
        page = self._events[position:last]  # positions are 1, 2, 3...: index + 1
        if types:
            page = [e for e in page if e.type in types]
        return self._read(page[:limit])

    def last_position(self) -> int:
        return len(self._events)

    def _read(self, found: Sequence[RecordedEvent]) -> list[RecordedEvent]:
        needs, upcast = self._codec.upcasters.needs_upcast, self._codec.upcast
        return [upcast(e) if needs(e.type, e.schema_version) else e for e in found]


def _recorded(
    event: NewEvent, stream: str, version: int, position: int, recorded_at: datetime
) -> RecordedEvent:
    return RecordedEvent(
        position,
        stream,
        version,
        event.type,
        event.schema_version,
        json.loads(json.dumps(event.data)),
        event.occurred_at.astimezone(UTC),
        recorded_at,
        event.event_id,
    )
