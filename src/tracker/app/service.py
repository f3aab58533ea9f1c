"""Use case of the service's status: which processes run on this database, which leads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tracker.app.base import HEARTBEAT_SECONDS, Tracker
from tracker.app.feeds import database_shown
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
    store = tracker.feeds
    now = tracker.clock()
    latest = store.latest_run()
    runs = store.unstopped_runs()
    claims = store.claims_by_run(now)
    if tracker.engine.dialect.name == "postgresql":
        seen = presence(tracker.engine)
        alive, leader = set(seen.alive), seen.leader
    else:
        # One service per SQLite file: only the newest run can be the lock's holder.
        newest = max((r["id"] for r in runs), default=None)
        held = newest is not None and ServiceLock(tracker.engine).is_held()
        alive, leader = ({newest}, newest) if held and newest is not None else (set(), None)
    processes = []
    for run in runs:
        silent = (now - run["heartbeat_at"]).total_seconds() > SILENT_AFTER
        processes.append(
            {
                "run": run["id"],
                "host": run["host"],
                "pid": run["pid"],
                "since": run["started_at"].isoformat(),
                "heartbeat_at": run["heartbeat_at"].isoformat(),
                "state": "dead"
                if run["id"] not in alive
                else "not responding"
                if silent
                else "running",
                "leader": run["id"] == leader,
                "leader_since": _iso(run["leader_since"]) if run["id"] == leader else None,
                "feeds_claimed": claims.get(run["id"], 0),
            }
        )
    states = {p["state"] for p in processes}
    if latest is None:
        state = "never run"
    elif "running" in states:
        state = "running"
    elif "not responding" in states:
        state = "not responding: running but no heartbeat (hung?)"
    elif latest["stopped_at"] is None:
        state = "not responding: the last service died without stopping (killed?)"
    else:
        state = "stopped"
    polls = [
        {
            "feed": p["name"],
            "outcome": p["outcome"],
            "status": p["http_status"],
            "started_at": p["started_at"].isoformat(),
            "new": p["new_documents"],
            "revised": p["revised_documents"],
            "error": p["error"],
        }
        for p in store.recent_polls(10)
    ]
    leading = next((p for p in processes if p["leader"]), None)
    view: dict[str, Any] = {
        "database": database_shown(tracker),
        "state": state,
        "leader": None
        if leading is None
        else {k: leading[k] for k in ("run", "host", "pid", "leader_since")},
        "processes": processes,
        "recent_polls": polls,
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
