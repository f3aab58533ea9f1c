"""Use case of the service's status: which processes run on this database, which leads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tracker.app.base import HEARTBEAT_SECONDS, Tracker
from tracker.app.database import database_shown
from tracker.store.locks import ServiceLock, presence

# A process whose heartbeat is older than this many intervals is not answering.
SILENT_AFTER = 3 * HEARTBEAT_SECONDS


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def service_status(tracker: Tracker) -> dict[str, Any]:
    """Every service process on this database, which one leads, and the last polls.

    Whether a process lives is asked of its lock (PostgreSQL: the run's advisory lock;
    SQLite: the lock file), which the operating system or the server drops the moment it
    dies; a live one whose heartbeat stopped is reported as not responding.
    """
    now = tracker.clock()
    latest = tracker.runs.latest_run()
    runs = tracker.runs.unstopped_runs()
    claims = tracker.claims.claims_by_run(now)
    alive, leader = _alive_and_leader(tracker, runs)
    processes = [_process(run, now, alive, leader, claims) for run in runs]
    leading = next((p for p in processes if p["leader"]), None)
    view: dict[str, Any] = {
        "database": database_shown(tracker),
        "state": _state(latest, processes),
        "leader": None
        if leading is None
        else {k: leading[k] for k in ("run", "host", "pid", "leader_since")},
        "processes": processes,
        "recent_polls": [_poll(p) for p in tracker.feeds.recent_polls(10)],
    }
    if latest is not None:
        # The newest run, as before many processes: what one service's status showed.
        view.update(
            host=latest["host"],
            pid=latest["pid"],
            since=latest["started_at"].isoformat(),
            heartbeat_at=latest["heartbeat_at"].isoformat(),
            stopped_at=_iso(latest["stopped_at"]),
            stop_reason=latest["stop_reason"],
        )
    return view


def _alive_and_leader(tracker: Tracker, runs: list[dict[str, Any]]) -> tuple[set[int], int | None]:
    """The runs whose process lives, and the one that leads."""
    if tracker.engine.dialect.name == "postgresql":
        seen = presence(tracker.engine)
        return set(seen.alive), seen.leader
    # One service per SQLite file: only the newest run can be the lock's holder.
    newest = max((r["id"] for r in runs), default=None)
    held = newest is not None and ServiceLock(tracker.engine).is_held()
    return ({newest}, newest) if held and newest is not None else (set(), None)


def _process(
    run: dict[str, Any],
    now: datetime,
    alive: set[int],
    leader: int | None,
    claims: dict[int, int],
) -> dict[str, Any]:
    silent = (now - run["heartbeat_at"]).total_seconds() > SILENT_AFTER
    return {
        "run": run["id"],
        "host": run["host"],
        "pid": run["pid"],
        "since": run["started_at"].isoformat(),
        "heartbeat_at": run["heartbeat_at"].isoformat(),
        "state": "dead" if run["id"] not in alive else "not responding" if silent else "running",
        "leader": run["id"] == leader,
        "leader_since": _iso(run["leader_since"]) if run["id"] == leader else None,
        "feeds_claimed": claims.get(run["id"], 0),
    }


def _state(latest: dict[str, Any] | None, processes: list[dict[str, Any]]) -> str:
    """The service as a whole, in a few words."""
    states = {p["state"] for p in processes}
    if latest is None:
        return "never run"
    if "running" in states:
        return "running"
    if "not responding" in states:
        return "not responding: running but no heartbeat (hung?)"
    if latest["stopped_at"] is None:
        return "not responding: the last service died without stopping (killed?)"
    return "stopped"


def _poll(p: dict[str, Any]) -> dict[str, Any]:
    return {
        "feed": p["name"],
        "outcome": p["outcome"],
        "status": p["http_status"],
        "started_at": p["started_at"].isoformat(),
        "new": p["new_documents"],
        "revised": p["revised_documents"],
        "error": p["error"],
    }
