"""One write transaction holding the event log and the feed store together.

A poll appends its entries' events and records its outcome on the feed in one
commit: both or neither, so a crash between the two cannot store entries without
the poll that found them (or move a feed's schedule without its entries).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy.engine import Connection

from tracker.domain.feeds import Feed, Schedule
from tracker.domain.log import AppendResult, StreamBatch
from tracker.store.engine import write_transaction
from tracker.store.feeds import FeedStore, Move, PollRecord
from tracker.store.log import EventLog


class UnitOfWork:
    """What one transaction may write: events to the log, a poll to the feed store."""

    __slots__ = ("_conn", "_feeds", "_log")

    def __init__(self, log: EventLog, feeds: FeedStore, conn: Connection) -> None:
        self._log = log
        self._feeds = feeds
        self._conn = conn

    def append_batches(self, batches: Sequence[StreamBatch]) -> AppendResult:
        """Append to several streams in this transaction (see ``EventLog.append_batches``)."""
        return self._log.append_in(self._conn, batches)

    def record_poll(
        self,
        feed: Feed,
        poll: PollRecord,
        schedule: Schedule,
        *,
        etag: str | None,
        last_modified: str | None,
        moved_to: str | None = None,
        claimed_by: int | None = None,
    ) -> Move:
        """Write a poll's outcome in this transaction (see ``FeedStore.record_poll``)."""
        return self._feeds.record_poll(
            self._conn,
            feed,
            poll,
            schedule,
            etag=etag,
            last_modified=last_modified,
            moved_to=moved_to,
            claimed_by=claimed_by,
        )


class UnitsOfWork:
    """Begins units of work on one database; each commits when its block ends."""

    __slots__ = ("_feeds", "_log")

    def __init__(self, log: EventLog, feeds: FeedStore) -> None:
        self._log = log
        self._feeds = feeds

    @contextmanager
    def begin(self) -> Iterator[UnitOfWork]:
        """A unit of work: committed if the block ends, rolled back if it raises;
        database errors come out as StorageError."""
        with write_transaction(self._log.engine) as conn:
            yield UnitOfWork(self._log, self._feeds, conn)
