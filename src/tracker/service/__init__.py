"""`tracker run`: polls feeds on schedule and keeps projections and alerts current.

The schedule's truth is the database: each feed's next due time and its claim. The
service runs one APScheduler job, the tick. Each tick, in this order: it checks the
leader's lock (PostgreSQL), writes the heartbeat when one is due, releases what failed
polls left claimed and renews long polls' claims, and, when leading, reconciles the feeds
table with feeds.toml at its interval; then it claims the feeds that are due (bounded per
host across every process) and hands them to a pool of workers; then, when leading, it
hands projection catch-up and alert delivery to the leader's own worker. Each poll stores
its documents and releases its feed, with the next due time, in one transaction. A
restart resumes where the last run stopped.

On PostgreSQL any number of these processes share the feeds: claims are taken with
``FOR UPDATE SKIP LOCKED`` and last for a lease, so a process killed mid-poll leaves its
feeds to the others when the lease runs out. Catch-up, alert delivery and the feeds.toml
reconciliation run only in the process holding the leader's advisory lock; when it dies
another takes the lock within seconds. On SQLite one service runs per database (a lock
file) and it leads.

SIGTERM and SIGINT stop it cleanly: running polls finish (each within its fetch
timeouts) and no half-written document is left, since a poll commits in one transaction.

- `process.py`: `Service`, the run from start to stop and the tick.
- `claims.py`: the feeds a run holds, from claim to release.
- `steps.py`: each step guarded on its own, and when the periodic ones are due.
- `logs.py`: one JSON object per log line.
"""

from tracker.service.logs import JsonLines, configure_logging
from tracker.service.process import TICK_JOB, TICK_SECONDS, Service

__all__ = ["TICK_JOB", "TICK_SECONDS", "JsonLines", "Service", "configure_logging"]
