"""Feeds, their polls, and service runs: operational state kept beside the log."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from tracker.domain.feeds import Feed, Schedule
from tracker.errors import StorageError
from tracker.store.engine import describe, write_transaction
from tracker.store.schema import URL_LENGTH, feed_polls, feeds, service_runs


class Move(NamedTuple):
    """What a poll did with a permanent redirect: the URL the feed moved to, or why not."""

    moved_to: str | None
    refused: str | None


@dataclass(frozen=True)
class PollRecord:
    feed_id: int
    started_at: datetime
    finished_at: datetime
    outcome: str
    http_status: int | None
    entries: int
    new_documents: int
    revised_documents: int
    error: str | None


class NewFeed(NamedTuple):
    """A feed about to be followed, its URL and name already checked."""

    name: str
    url: str
    every: int
    tags: tuple[str, ...] = ()
    full_text: bool = False


def _feed(row: sa.Row[Any]) -> Feed:
    values = dict(row._mapping)
    # A JSON list comes back; anything else (a hand-edited row) is no tags.
    tags = values.pop("tags")
    values["tags"] = tuple(t for t in tags if isinstance(t, str)) if isinstance(tags, list) else ()
    return Feed(**values)


class FeedStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def _guard(self, what: str) -> Iterator[None]:
        try:
            yield
        except StorageError as exc:
            raise StorageError(f"{what}: {exc}") from None
        except SQLAlchemyError as exc:
            raise StorageError(f"{what}: {describe(exc)}") from None

    def add(
        self,
        *,
        name: str,
        url: str,
        every: int,
        origin: str,
        now: datetime,
        tags: tuple[str, ...] = (),
        full_text: bool = False,
    ) -> Feed:
        self.add_many([NewFeed(name, url, every, tags, full_text)], origin=origin, now=now)
        feed = self.get(name)
        assert feed is not None
        return feed

    def add_many(self, new: list[NewFeed], *, origin: str, now: datetime) -> None:
        """Add feeds in one transaction: all of them, or none when the database refuses."""
        if not new:
            return
        what = (
            f"cannot add feed {new[0].name!r}" if len(new) == 1 else f"cannot add {len(new)} feeds"
        )
        rows = [
            {
                "name": item.name,
                "url": item.url,
                "added_url": item.url,
                "every_seconds": item.every,
                "origin": origin,
                "active": True,
                "next_due_at": now,
                "consecutive_failures": 0,
                "created_at": now,
                "tags": list(item.tags),
                "full_text": item.full_text,
            }
            for item in new
        ]
        with self._guard(what), write_transaction(self.engine) as conn:
            conn.execute(sa.insert(feeds), rows)

    def update_options(
        self, feed_id: int, *, every: int, tags: tuple[str, ...], full_text: bool
    ) -> None:
        with self._guard("cannot update feed"), write_transaction(self.engine) as conn:
            conn.execute(
                sa.update(feeds)
                .where(feeds.c.id == feed_id)
                .values(every_seconds=every, tags=list(tags), full_text=full_text)
            )

    def remove(self, feed_id: int) -> None:
        with self._guard("cannot remove feed"), write_transaction(self.engine) as conn:
            conn.execute(sa.delete(feed_polls).where(feed_polls.c.feed_id == feed_id))
            conn.execute(sa.delete(feeds).where(feeds.c.id == feed_id))

    def all(self) -> list[Feed]:
        with self._guard("cannot list feeds"), self.engine.connect() as conn:
            rows = conn.execute(sa.select(feeds).order_by(feeds.c.name))
            return [_feed(row) for row in rows]

    def get(self, name_or_url: str) -> Feed | None:
        query = sa.select(feeds).where(
            sa.or_(
                feeds.c.name == name_or_url,
                feeds.c.url == name_or_url,
                feeds.c.added_url == name_or_url,
            )
        )
        with self._guard("cannot read feeds"), self.engine.connect() as conn:
            row = conn.execute(query).first()
        return _feed(row) if row else None

    def by_id(self, feed_id: int) -> Feed | None:
        with self._guard("cannot read feeds"), self.engine.connect() as conn:
            row = conn.execute(sa.select(feeds).where(feeds.c.id == feed_id)).first()
        return _feed(row) if row else None

    def record_poll(
        self,
        conn: Connection,
        feed: Feed,
        poll: PollRecord,
        schedule: Schedule,
        *,
        etag: str | None,
        last_modified: str | None,
        moved_to: str | None = None,
    ) -> Move:
        """Write a poll's outcome and the feed's next state in the caller's transaction.

        A permanent move is followed unless the new URL is too long to hold or another
        feed already lives there; returns what became of it.
        """
        move = Move(None, None)
        values: dict[str, Any] = {
            "next_due_at": schedule.next_due,
            "consecutive_failures": schedule.consecutive_failures,
            "active": schedule.active,
            "last_status": poll.http_status,
        }
        if poll.outcome in ("ok", "not_modified"):
            values.update(
                last_success_at=poll.finished_at,
                etag=etag or feed.etag,
                last_modified=last_modified or feed.last_modified,
            )
            if moved_to is not None and moved_to != feed.url:
                move = self._move(conn, feed, moved_to)
                if move.moved_to is not None:
                    values["url"] = move.moved_to
        else:
            values.update(last_error=poll.error, last_error_at=poll.finished_at)
        conn.execute(sa.update(feeds).where(feeds.c.id == feed.id).values(**values))
        row = dict(poll.__dict__)
        if move.refused is not None:
            row["error"] = "; ".join(filter(None, (row["error"], f"warning: {move.refused}")))
        conn.execute(sa.insert(feed_polls).values(**row))
        return move

    @staticmethod
    def _move(conn: Connection, feed: Feed, moved_to: str) -> Move:
        if len(moved_to) > URL_LENGTH:
            return Move(None, f"moved permanently to an address over {URL_LENGTH} characters")
        taken = conn.execute(
            sa.select(feeds.c.name).where(feeds.c.url == moved_to, feeds.c.id != feed.id)
        ).scalar()
        if taken is not None:
            return Move(None, f"moved permanently to {moved_to}, which feed {taken!r} follows")
        return Move(moved_to, None)

    def recent_polls(self, limit: int = 20) -> list[dict[str, Any]]:
        query = (
            sa.select(feed_polls, feeds.c.name)
            .join(feeds, feeds.c.id == feed_polls.c.feed_id)
            .order_by(feed_polls.c.id.desc())
            .limit(limit)
        )
        with self._guard("cannot read polls"), self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    # -- service runs -----------------------------------------------------------------

    def start_run(self, *, host: str, pid: int, now: datetime) -> int:
        with self._guard("cannot record service start"), write_transaction(self.engine) as conn:
            result = conn.execute(
                sa.insert(service_runs).values(host=host, pid=pid, started_at=now, heartbeat_at=now)
            )
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def heartbeat(self, run_id: int, now: datetime) -> None:
        with self._guard("cannot record heartbeat"), write_transaction(self.engine) as conn:
            conn.execute(
                sa.update(service_runs).where(service_runs.c.id == run_id).values(heartbeat_at=now)
            )

    def stop_run(self, run_id: int, now: datetime, reason: str) -> None:
        with self._guard("cannot record service stop"), write_transaction(self.engine) as conn:
            conn.execute(
                sa.update(service_runs)
                .where(service_runs.c.id == run_id)
                .values(stopped_at=now, stop_reason=reason, heartbeat_at=now)
            )

    def latest_run(self) -> dict[str, Any] | None:
        query = sa.select(service_runs).order_by(service_runs.c.id.desc()).limit(1)
        with self._guard("cannot read service runs"), self.engine.connect() as conn:
            row = conn.execute(query).first()
        return dict(row._mapping) if row else None
