"""Claims: which service run polls which feed, and until when."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tracker.domain.feeds import Feed
from tracker.store.engine import translated, write_transaction
from tracker.store.feeds import feed_from_row
from tracker.store.locks import CLAIM_LOCK_KEY
from tracker.store.schema import feeds


class ClaimStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

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
        due = _due(now)
        postgres = self.engine.dialect.name == "postgresql"
        with translated(self.engine, "cannot claim feeds"), write_transaction(self.engine) as conn:
            if postgres:
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": CLAIM_LOCK_KEY})
            ids = list(conn.execute(_chosen(due, now, limit, per_host)).scalars())
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
        claimed = [
            replace(feed_from_row(row), claimed_by=run_id, claimed_until=until) for row in rows
        ]
        return sorted(claimed, key=lambda feed: (feed.next_due_at, feed.id))

    def renew_claims(self, run_id: int, *, before: datetime, until: datetime) -> int:
        """Extend the run's claims that end before ``before`` to ``until``; how many."""
        f = feeds.c
        with translated(self.engine, "cannot renew claims"), write_transaction(self.engine) as conn:
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
        with (
            translated(self.engine, "cannot release claims"),
            write_transaction(self.engine) as conn,
        ):
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
        with translated(self.engine, "cannot read claims"), self.engine.connect() as conn:
            return {int(run): int(n) for run, n in conn.execute(query)}


def _due(now: datetime) -> sa.ColumnElement[bool]:
    """Feeds due now that no unexpired claim holds."""
    f = feeds.c
    return sa.and_(
        f.active,
        f.next_due_at <= now,
        sa.or_(f.claimed_until.is_(None), f.claimed_until <= now),
    )


def _chosen(
    due: sa.ColumnElement[bool], now: datetime, limit: int, per_host: int
) -> sa.Select[Any]:
    """The ids of up to ``limit`` ``due`` feeds, oldest due first, leaving each host no
    more than ``per_host`` unexpired claims counting those already held."""
    f = feeds.c
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
    return (
        sa.select(ranked.c.id)
        .outerjoin(busy, busy.c.host == ranked.c.host)
        .where(ranked.c.rank + sa.func.coalesce(busy.c.n, 0) <= per_host)
        .order_by(ranked.c.next_due_at, ranked.c.id)
        .limit(limit)
    )
