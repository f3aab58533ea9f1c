"""Feeds, their polls, and service runs: operational state kept beside the log."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from tracker.domain.feeds import Feed, FeedOrigin, FetchKind, Schedule, feed_host
from tracker.errors import ClaimLostError
from tracker.store.engine import translated, write_transaction
from tracker.store.locks import CLAIM_LOCK_KEY
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

    # -- claims: which service run polls which feed ------------------------------------

    def claim_due(
        self, run_id: int, *, now: datetime, until: datetime, limit: int, per_host: int
    ) -> list[Feed]:
        """Claim up to ``limit`` due feeds for ``run_id`` until ``until``, oldest due first,
        leaving each host no more than ``per_host`` unexpired claims in all.

        Claimants take turns (PostgreSQL: a transaction-level advisory lock; SQLite: its
        write lock), so two of them never both see room for a host's last slot. Rows
        another transaction holds (a poll releasing its feed) are skipped, not waited for.
        """
        f = feeds.c
        due = sa.and_(
            f.active,
            f.next_due_at <= now,
            sa.or_(f.claimed_until.is_(None), f.claimed_until <= now),
        )
        busy = (
            sa.select(f.host, sa.func.count().label("n"))
            .where(f.claimed_until > now)
            .group_by(f.host)
            .subquery()
        )
        ranked = (
            sa.select(
                f.id,
                f.host,
                f.next_due_at,
                sa.func.row_number()
                .over(partition_by=f.host, order_by=(f.next_due_at, f.id))
                .label("rank"),
            )
            .where(due)
            .subquery()
        )
        choose = (
            sa.select(ranked.c.id)
            .outerjoin(busy, busy.c.host == ranked.c.host)
            .where(ranked.c.rank + sa.func.coalesce(busy.c.n, 0) <= per_host)
            .order_by(ranked.c.next_due_at, ranked.c.id)
            .limit(limit)
        )
        postgres = self.engine.dialect.name == "postgresql"
        with self._guard("cannot claim feeds"), write_transaction(self.engine) as conn:
            if postgres:
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": CLAIM_LOCK_KEY})
            ids = list(conn.execute(choose).scalars())
            if not ids:
                return []
            # Checked again under the row lock: a poll may have released one meanwhile.
            lock = sa.select(feeds).where(f.id.in_(ids), due).order_by(f.id)
            if postgres:
                lock = lock.with_for_update(skip_locked=True)
            rows = conn.execute(lock).all()
            if rows:
                conn.execute(
                    sa.update(feeds)
                    .where(f.id.in_([row.id for row in rows]))
                    .values(claimed_by=run_id, claimed_until=until)
                )
        claimed = [replace(_feed(row), claimed_by=run_id, claimed_until=until) for row in rows]
        return sorted(claimed, key=lambda feed: (feed.next_due_at, feed.id))

    def renew_claims(self, run_id: int, *, before: datetime, until: datetime) -> int:
        """Extend the run's claims that end before ``before`` to ``until``; how many."""
        f = feeds.c
        with self._guard("cannot renew claims"), write_transaction(self.engine) as conn:
            result = conn.execute(
                sa.update(feeds)
                .where(f.claimed_by == run_id, f.claimed_until < before)
                .values(claimed_until=until)
            )
        return int(result.rowcount)

    def release_claims(self, run_id: int | None, ids: set[int] | None = None) -> int:
        """Release a run's claims (only ``ids`` when given; every run's when ``run_id`` is
        None) without polling: a poll that could not record, a service stopping."""
        f = feeds.c
        where = f.claimed_by.is_not(None) if run_id is None else f.claimed_by == run_id
        if ids is not None:
            if not ids:
                return 0
            where = sa.and_(where, f.id.in_(sorted(ids)))
        with self._guard("cannot release claims"), write_transaction(self.engine) as conn:
            result = conn.execute(
                sa.update(feeds).where(where).values(claimed_by=None, claimed_until=None)
            )
        return int(result.rowcount)

    def claims_by_run(self, now: datetime) -> dict[int, int]:
        """Unexpired claims held by each run."""
        f = feeds.c
        query = (
            sa.select(f.claimed_by, sa.func.count())
            .where(f.claimed_by.is_not(None), f.claimed_until > now)
            .group_by(f.claimed_by)
        )
        with self._guard("cannot read claims"), self.engine.connect() as conn:
            return {int(run): int(n) for run, n in conn.execute(query)}

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
                .values(stopped_at=now, stop_reason=reason, heartbeat_at=now, leader_since=None)
            )

    def set_leader(self, run_id: int, since: datetime | None) -> None:
        """Record that the run leads from ``since`` (None: no longer). Only the holder of
        the leader's lock calls this with a time, so any other run marked is stale."""
        r = service_runs.c
        with self._guard("cannot record the leader"), write_transaction(self.engine) as conn:
            if since is not None:
                conn.execute(
                    sa.update(service_runs)
                    .where(r.id != run_id, r.leader_since.is_not(None))
                    .values(leader_since=None)
                )
            conn.execute(sa.update(service_runs).where(r.id == run_id).values(leader_since=since))

    def unstopped_runs(self) -> list[dict[str, Any]]:
        """Every run with no stop recorded: running, hung, or dead without a word."""
        query = (
            sa.select(service_runs)
            .where(service_runs.c.stopped_at.is_(None))
            .order_by(service_runs.c.id)
        )
        with self._guard("cannot read service runs"), self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def settle_dead_runs(self, run_ids: set[int]) -> None:
        """Record the runs known dead as stopped when they last beat: they never said so."""
        if not run_ids:
            return
        r = service_runs.c
        with self._guard("cannot record dead runs"), write_transaction(self.engine) as conn:
            conn.execute(
                sa.update(service_runs)
                .where(r.id.in_(sorted(run_ids)), r.stopped_at.is_(None))
                .values(
                    stopped_at=r.heartbeat_at,
                    stop_reason="died without stopping (killed?)",
                    leader_since=None,
                )
            )

    def latest_run(self) -> dict[str, Any] | None:
        query = sa.select(service_runs).order_by(service_runs.c.id.desc()).limit(1)
        with self._guard("cannot read service runs"), self.engine.connect() as conn:
            row = conn.execute(query).first()
        return dict(row._mapping) if row else None
