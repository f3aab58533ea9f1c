"""What the app needs of an event store, whatever holds the events.

The log on SQLite or PostgreSQL (``tracker.store.log.EventLog``) and the one in
memory (``tracker.store.memory.InMemoryEventStore``) both answer to it, and one
contract suite (``tests/test_log_contract.py``) runs against each.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from typing import Protocol

from tracker.domain.log import (
    ANY,
    AppendResult,
    ExpectedVersion,
    NewEvent,
    RecordedEvent,
    StreamBatch,
)


class EventStore(Protocol):
    """An append-only log of streams, globally ordered by position, read upcast.

    ``append`` and ``iter_after`` are written here once, in terms of the others, for
    the stores that subclass the protocol; a store may read faster its own way.
    """

    def append(
        self,
        stream: str,
        new_events: Sequence[NewEvent],
        *,
        expected_version: int | ExpectedVersion = ANY,
    ) -> AppendResult:
        """Append to one stream atomically, if it is at the expected version."""
        return self.append_batches([StreamBatch(stream, tuple(new_events), expected_version)])

    def append_batches(self, batches: Sequence[StreamBatch]) -> AppendResult:
        """Append to several streams at once: all of it or none of it. Events whose id
        the stream already holds are left out, so re-ingesting appends nothing."""
        ...

    def stream_version(self, stream: str) -> int:
        """The stream's last version; 0 when it has no events."""
        ...

    def read_stream(
        self, stream: str, *, after_version: int = 0, limit: int | None = None
    ) -> list[RecordedEvent]:
        """The stream's events after a version, in order."""
        ...

    def find(self, event_id: uuid.UUID) -> RecordedEvent | None:
        """The event with this id, in whichever stream it is."""
        ...

    def read_after(
        self,
        position: int,
        *,
        limit: int = 1000,
        types: Sequence[str] | None = None,
        until: int | None = None,
    ) -> list[RecordedEvent]:
        """One page of the whole log, in order, strictly after ``position``."""
        ...

    def iter_after(
        self, position: int = 0, *, page_size: int = 1000, until: int | None = None
    ) -> Iterator[RecordedEvent]:
        """The whole log after ``position``, read page by page."""
        while page := self.read_after(position, limit=page_size, until=until):
            yield from page
            position = page[-1].position

    def last_position(self) -> int:
        """The position of the log's last event; 0 when it is empty."""
        ...
