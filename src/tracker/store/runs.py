"""Service runs: each process's start, heartbeat, lead and stop."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tracker.store.engine import translated, write_transaction
from tracker.store.schema import service_runs


class RunStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def start_run(self, *, host: str, pid: int, now: datetime) -> int:
        with (
            translated(self.engine, "cannot record service start"),
            write_transaction(self.engine) as conn,
        ):
            result = conn.execute(
                sa.insert(service_runs).values(host=host, pid=pid, started_at=now, heartbeat_at=now)
            )
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def heartbeat(self, run_id: int, now: datetime) -> None:
        with (
            translated(self.engine, "cannot record heartbeat"),
            write_transaction(self.engine) as conn,
        ):
            conn.execute(
                sa.update(service_runs).where(service_runs.c.id == run_id).values(heartbeat_at=now)
            )

    def stop_run(self, run_id: int, now: datetime, reason: str) -> None:
        with (
            translated(self.engine, "cannot record service stop"),
            write_transaction(self.engine) as conn,
        ):
            conn.execute(
                sa.update(service_runs)
                .where(service_runs.c.id == run_id)
                .values(stopped_at=now, stop_reason=reason, heartbeat_at=now, leader_since=None)
            )

    def set_leader(self, run_id: int, since: datetime | None) -> None:
        """Record that the run leads from ``since`` (None: no longer). Only the holder of
        the leader's lock calls this with a time, so any other run marked is stale."""
        r = service_runs.c
        with (
            translated(self.engine, "cannot record the leader"),
            write_transaction(self.engine) as conn,
        ):
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
        with translated(self.engine, "cannot read service runs"), self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def settle_dead_runs(self, run_ids: set[int]) -> None:
        """Record the runs known dead as stopped when they last beat: they never said so."""
        if not run_ids:
            return
        r = service_runs.c
        with (
            translated(self.engine, "cannot record dead runs"),
            write_transaction(self.engine) as conn,
        ):
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
        with translated(self.engine, "cannot read service runs"), self.engine.connect() as conn:
            row = conn.execute(query).first()
        return dict(row._mapping) if row else None
