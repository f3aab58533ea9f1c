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
"""

from __future__ import annotations

import json
import logging
import os
import random
import signal
import socket
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor as Pool
from datetime import datetime, timedelta
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from tracker import app
from tracker.app import HEARTBEAT_SECONDS, Tracker
from tracker.domain.feeds import Feed
from tracker.errors import ServiceLockedError, TrackerError
from tracker.store.locks import Seat, ServiceLock, presence

log = logging.getLogger("tracker")
STOP_GRACE_SECONDS = 5
# How often the tick runs: the longest a due feed waits for a free worker's claim, and
# the longest a dead leader goes unreplaced (followers try the lock each tick).
TICK_SECONDS = 1
# The one job the scheduler runs.
TICK_JOB = "tick"
# A run dead this long without a word is recorded as stopped by the leader.
SETTLE_DEAD_SECONDS = 3600


def _locked_message(tracker: Tracker) -> str:
    run = tracker.feeds.latest_run()
    where = (
        f" (pid {run['pid']} on {run['host']}, since {run['started_at']:%Y-%m-%d %H:%M})"
        if run and run["stopped_at"] is None
        else ""
    )
    return (
        f"a tracker service is already running on this database{where}; SQLite takes one "
        "service at a time: to run more processes, use PostgreSQL"
    )


class Service:
    def __init__(self, tracker: Tracker, *, workers: int | None = None) -> None:
        self.tracker = tracker
        self.workers = workers or tracker.settings.service.workers
        self.scheduler = BlockingScheduler(
            # The tick only: polls and the leader's work run on the pools below, so neither
            # a slow feed nor a long catch-up holds the heartbeat, the lock or the claims.
            executors={"default": ThreadPoolExecutor(1)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            timezone="UTC",
        )
        self.pool = Pool(self.workers, thread_name_prefix="poll")
        # Catch-up then alerts, one run at a time, handed over by the tick.
        self.leader_pool = Pool(1, thread_name_prefix="leader")
        self.postgres = tracker.engine.dialect.name == "postgresql"
        self.run_id: int | None = None
        self.seat: Seat | None = None
        self.leading = False
        self.stop_reason = "stopped"
        self.stopping = threading.Event()
        self._busy = 0
        self._idle = threading.Condition()
        self._claiming = threading.Lock()
        self._claimed: set[int] = set()  # feeds this run holds, queued or polling
        self._polling: set[int] = set()  # of those, the ones whose poll has started
        self._strays: set[int] = set()  # polls that ended without releasing their feed
        self._stored = threading.Event()  # a poll of this run stored documents
        self._leader_queued = False
        # When each periodic step of the tick is next due (set by begin()).
        self._next: dict[str, datetime] = {}

    @property
    def lease(self) -> timedelta:
        settings = self.tracker.settings
        return timedelta(
            seconds=settings.fetch.total_timeout + settings.service.lease_margin_seconds
        )

    def run(self) -> None:
        if self.postgres:
            self._serve()
        else:
            with ServiceLock(self.tracker.engine).hold() as taken:
                if not taken:
                    raise ServiceLockedError(_locked_message(self.tracker))
                self._serve()
        if self._busy:
            # A job still running past the grace (extraction of a huge text, a stuck
            # driver) would hold the interpreter's exit, which joins worker threads.
            # A poll commits in one transaction, so leaving it half-way loses nothing.
            for sink in logging.getLogger("tracker").handlers:
                sink.flush()
            os._exit(0)

    def _serve(self) -> None:
        self.begin()
        previous = {
            sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGTERM, signal.SIGINT)
        }
        try:
            self.scheduler.start()
            # Every fetch ends by its deadline; a few seconds more let its poll commit.
            self._wait_until_idle(self.tracker.settings.fetch.total_timeout + STOP_GRACE_SECONDS)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.end()

    def begin(self) -> None:
        """Record the run, take the lead on SQLite, and schedule the tick (not started)."""
        tracker = self.tracker
        store = tracker.feeds
        now = tracker.clock()
        self.run_id = run_id = store.start_run(host=socket.gethostname(), pid=os.getpid(), now=now)
        if self.postgres:
            self.seat = Seat(tracker.engine, run_id)
        else:
            # The lock file proves every earlier run dead: their claims and rows are settled.
            store.release_claims(None)
            store.settle_dead_runs({r["id"] for r in store.unstopped_runs()} - {run_id})
            self.leading = True
            store.set_leader(run_id, now)
        self._next = {
            "heartbeat": now + timedelta(seconds=HEARTBEAT_SECONDS),
            "reconcile": now,
            "catch-up": now,
            "alerts": now,
        }
        log.info(
            "service-start",
            extra={"fields": {"pid": os.getpid(), "run": run_id, "workers": self.workers}},
        )
        self.scheduler.add_job(
            self.tick, IntervalTrigger(seconds=TICK_SECONDS), id=TICK_JOB, next_run_time=now
        )

    def end(self) -> None:
        """Drop the pools' queued work, release what is not being polled, record the stop."""
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.leader_pool.shutdown(wait=False, cancel_futures=True)
        self._let_go()
        log.info(
            "service-stop",
            extra={"fields": {"reason": self.stop_reason, "busy": self._busy}},
        )

    def _let_go(self) -> None:
        """Release the feeds claimed but not being polled, record the stop, leave the lead."""
        tracker = self.tracker
        assert self.run_id is not None
        try:
            with self._idle:
                unstarted = (self._claimed - self._polling) | self._strays
            tracker.feeds.release_claims(self.run_id, unstarted)
            tracker.feeds.stop_run(self.run_id, tracker.clock(), self.stop_reason)
        except TrackerError as exc:
            # Claims left behind run out with their lease; the run then shows as dead.
            log.error("service-stop-record-failed", extra={"fields": {"error": str(exc)}})
        finally:
            if self.seat is not None:
                self.seat.close()

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        self.stop_reason = f"signal {signal.Signals(signum).name}"
        self.stopping.set()
        self.tracker.stopping.set()  # polls reading articles stop asking for more
        # Nothing new starts. Not wait=True: the tick may be waiting on a lock a running
        # poll holds. Polls and the leader's work are awaited in _serve().
        self.scheduler.shutdown(wait=False)

    def _wait_until_idle(self, seconds: float) -> None:
        with self._idle:
            self._idle.wait_for(lambda: self._busy == 0, timeout=seconds)

    # -- the tick -------------------------------------------------------------------------

    def tick(self) -> None:
        """One turn of the service: lead, beat, tidy claims, reconcile, claim, catch up.

        Each step is guarded on its own, so a failing one (feeds.toml refused, the
        database away for a moment) never keeps the others from running.
        """
        if self.seat is not None:
            self._guarded("lead", self._lead)
        if self._due("heartbeat", HEARTBEAT_SECONDS):
            self._guarded("heartbeat", self._heartbeat)
        self._guarded("claims", self._tidy_claims)
        if self.leading and self._due("reconcile", self.tracker.settings.service.reconcile_seconds):
            self._guarded("reconcile", self._reconcile)
        self._guarded("claim", self._claim)
        if self.leading:
            self._hand_to_leader()

    def _due(self, step: str, every: float) -> bool:
        """Whether ``step`` is due now; if so it is next due ``every`` seconds on."""
        now = self.tracker.clock()
        if now < self._next[step]:
            return False
        self._next[step] = now + timedelta(seconds=every)
        return True

    def _lead(self) -> None:
        """Take the leader's lock when it is free; notice when this process lost it."""
        assert self.seat is not None and self.run_id is not None
        leading = self.seat.check()
        if leading == self.leading:
            return
        self.leading = leading
        now = self.tracker.clock()
        log.info("leader" if leading else "leader-lost", extra={"fields": {"run": self.run_id}})
        self.tracker.feeds.set_leader(self.run_id, now if leading else None)
        if leading:
            # Whatever the last leader left undone starts now, not at the next interval.
            for step in ("reconcile", "catch-up", "alerts"):
                self._next[step] = now

    def _heartbeat(self) -> None:
        assert self.run_id is not None
        self.tracker.feeds.heartbeat(self.run_id, self.tracker.clock())

    def _tidy_claims(self) -> None:
        """Release what failed polls left claimed; renew the claims of long polls."""
        assert self.run_id is not None
        store, now = self.tracker.feeds, self.tracker.clock()
        with self._claiming:
            with self._idle:
                strays = set(self._strays)
            if strays:
                store.release_claims(self.run_id, strays)
                with self._idle:
                    self._strays -= strays
            with self._idle:
                polling = bool(self._polling)
            if polling:
                # A claim is renewed when half its lease is gone: only polls that run long.
                lease = self.lease
                store.renew_claims(self.run_id, before=now + lease / 2, until=now + lease)

    def _reconcile(self) -> None:
        """Add and drop the feeds config/feeds.toml declares; settle long-dead runs."""
        tracker = self.tracker
        app.sync_config_feeds(tracker)
        if self.postgres:
            alive = presence(tracker.engine).alive
            limit = tracker.clock() - timedelta(seconds=SETTLE_DEAD_SECONDS)
            dead = {
                r["id"]
                for r in tracker.feeds.unstopped_runs()
                if r["id"] not in alive and r["heartbeat_at"] < limit
            }
            tracker.feeds.settle_dead_runs(dead)

    def _claim(self) -> None:
        """Claim as many due feeds as there are free workers and hand them to the pool."""
        if self.stopping.is_set() or not self._claiming.acquire(blocking=False):
            return  # another thread is claiming now; the next tick or poll claims again
        try:
            assert self.run_id is not None
            with self._idle:
                free = self.workers - len(self._claimed)
            if free <= 0:
                return
            now = self.tracker.clock()
            claimed = self.tracker.feeds.claim_due(
                self.run_id,
                now=now,
                until=now + self.lease,
                limit=free,
                per_host=self.tracker.settings.service.per_host,
            )
            with self._idle:
                self._claimed.update(feed.id for feed in claimed)
            for feed in claimed:
                self.pool.submit(self.poll, feed)
        finally:
            self._claiming.release()

    # -- the leader's work, on its own worker ---------------------------------------------

    def _hand_to_leader(self) -> None:
        """Queue catch-up and alerts on the leader's worker, unless a turn is queued."""
        with self._idle:
            if self._leader_queued or self.stopping.is_set():
                return
            self._leader_queued = True
        self.leader_pool.submit(self._leader_turn)

    def _leader_turn(self) -> None:
        try:
            settings = self.tracker.settings.service
            # This run's polls stored documents: their views are wanted now. Others'
            # (other processes on PostgreSQL) are caught up at the interval.
            fresh = self._stored.is_set()
            if self.leading and (self._due("catch-up", settings.catch_up_seconds) or fresh):
                self._stored.clear()
                self._guarded("catch-up", self.tracker.runner.catch_up)
            if (
                self.leading
                and self.tracker.alert_channels
                and self._due("alerts", settings.alerts_seconds)
            ):
                # What the catch-up just put in the outbox goes out in the same turn.
                self._guarded("alerts", lambda: app.deliver_alerts(self.tracker))
        finally:
            with self._idle:
                self._leader_queued = False

    # -- a poll, on the pool --------------------------------------------------------------

    def poll(self, feed: Feed) -> None:
        """Poll one claimed feed; its poll's transaction releases it with its next due time."""
        tracker = self.tracker
        released = False

        def once() -> None:
            nonlocal released
            with self._idle:
                self._polling.add(feed.id)
            jitter = random.uniform(0, tracker.settings.service.jitter_seconds)
            result = app.poll_feed(tracker, feed, claim=self.run_id, jitter=jitter)
            released = True
            if result["new"] or result["revised"]:
                self._stored.set()
                if self.leading:
                    self._hand_to_leader()

        try:
            self._guarded(f"poll feed {feed.name}", once)
        finally:
            with self._idle:
                self._claimed.discard(feed.id)
                self._polling.discard(feed.id)
                if not released:
                    self._strays.add(feed.id)
        # Half the workers free: claim again now rather than at the next tick. Not after
        # every poll: each claim takes its turn on a lock every process shares.
        with self._idle:
            free = self.workers - len(self._claimed)
        if free >= max(1, self.workers // 2):
            self._guarded("claim", self._claim)

    def _guarded(self, what: str, action: Callable[[], object]) -> None:
        # Expected failures (database trouble, a stopped projection) are logged; the
        # service keeps running and the next tick tries again. Bugs are raised.
        if self.stopping.is_set():
            return
        with self._idle:
            self._busy += 1
        try:
            action()
        except TrackerError as exc:
            log.error("job-failed", extra={"fields": {"job": what, "error": str(exc)}})
        except (JobLookupError, SchedulerNotRunningError, RuntimeError):
            # The scheduler or a pool shut down under a step that was about to use it.
            if not self.stopping.is_set():
                raise
        except Exception as exc:
            # A bug, but one step's: logged as one line with its cause; the next tick retries.
            log.error(
                "job-failed",
                extra={"fields": {"job": what, "error": f"{type(exc).__name__}: {exc}"[:1000]}},
            )
        finally:
            with self._idle:
                self._busy -= 1
                self._idle.notify_all()


class JsonLines(logging.Formatter):
    """One JSON object per line: time, level, event, and the event's fields."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "event": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_logging() -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLines())
    root = logging.getLogger("tracker")
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
