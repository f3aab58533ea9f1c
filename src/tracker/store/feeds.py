"""Feeds and their polls: what is followed, and what each poll found."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from tracker.domain.feeds import Feed, FeedOrigin, FetchKind, Schedule, feed_host
from tracker.errors import ClaimLostError
from tracker.store.engine import translated, write_transaction
from tracker.store.schema import URL_LENGTH, feed_polls, feeds


class Move(NamedTuple):
    """What a poll did with a permanent redirect: the URL the feed moved to, or why not."""

    moved_to: str | None
    refused: str | None


@dataclass(frozen=True)
class PollRecord:
    feed_id: int
    started_at: datetime
    finished_at: datetime
    outcome: FetchKind
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


def feed_from_row(row: sa.Row[Any]) -> Feed:
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
        with translated(self.engine, what):
            yield

    def add(
        self,
        *,
        name: str,
        url: str,
        every: int,
        origin: FeedOrigin,
        now: datetime,
        tags: tuple[str, ...] = (),
        full_text: bool = False,
    ) -> Feed:
        self.add_many([NewFeed(name, url, every, tags, full_text)], origin=origin, now=now)
        feed = self.get(name)
        assert feed is not None
        return feed

    def add_many(self, new: list[NewFeed], *, origin: FeedOrigin, now: datetime) -> None:
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
                "host": feed_host(item.url),
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
            return [feed_from_row(row) for row in rows]

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
        return feed_from_row(row) if row else None

    def by_id(self, feed_id: int) -> Feed | None:
        with self._guard("cannot read feeds"), self.engine.connect() as conn:
            row = conn.execute(sa.select(feeds).where(feeds.c.id == feed_id)).first()
        return feed_from_row(row) if row else None

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
        claimed_by: int | None = None,
    ) -> Move:
        """Write a poll's outcome and the feed's next state in the caller's transaction.

        A permanent move is followed unless the new URL is too long to hold or another
        feed already lives there; returns what became of it. A service's poll names its
        run in ``claimed_by``: the claim is released here, in the poll's transaction, and
        if the feed is no longer that run's (the claim ran out and another process took
        it) ClaimLostError undoes the whole poll.
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
                    values.update(url=move.moved_to, host=feed_host(move.moved_to))
        else:
            values.update(last_error=poll.error, last_error_at=poll.finished_at)
        _update_released(conn, feed, values, claimed_by)
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


def _update_released(
    conn: Connection, feed: Feed, values: dict[str, Any], claimed_by: int | None
) -> None:
    """Update the feed's row; with ``claimed_by``, release its claim, which must still be
    that run's (else ClaimLostError)."""
    where = feeds.c.id == feed.id
    if claimed_by is not None:
        where = sa.and_(where, feeds.c.claimed_by == claimed_by)
        values.update(claimed_by=None, claimed_until=None)
    updated = conn.execute(sa.update(feeds).where(where).values(**values)).rowcount
    if claimed_by is not None and updated != 1:
        raise ClaimLostError(
            f"feed {feed.name!r} is no longer this service's (its claim ran out and "
            "another process took it, or the feed was removed); this poll is dropped"
        )
