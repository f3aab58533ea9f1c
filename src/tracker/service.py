"""`tracker run`: polls feeds on schedule and keeps projections and alerts current.

The schedule's truth is the database: each feed's next due time and its claim. One
APScheduler tick job claims the feeds that are due (bounded per host across every
process) and hands them to a pool of workers; each poll stores its documents and releases
its feed, with the next due time, in one transaction. A restart resumes where the last
run stopped.

On PostgreSQL any number of these processes share the feeds: claims are taken with
``FOR UPDATE SKIP LOCKED`` and last for a lease, so a process killed mid-poll leaves its
feeds to the others when the lease runs out. Projection catch-up and alert delivery run
only in the process holding the leader's advisory lock; when it dies another takes the
lock within seconds. On SQLite one service runs per database (a lock file).

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
from concurrent.futures import ThreadPoolExecutor as Pool
from datetime import timedelta
from types import FrameType
from typing import Any

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
# How often due feeds are claimed (a finished poll also claims at once, when there is room).
TICK_SECONDS = 1
# How often a follower tries the leader's lock: the longest a dead leader goes unreplaced.
LEAD_SECONDS = 1
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
            # Control jobs only: polls run on the pool below, so a slow feed never holds the
            # heartbeat, the leader's lock, catch-up or alerts.
            executors={"default": ThreadPoolExecutor(6)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            timezone="UTC",
        )
        self.pool = Pool(self.workers, thread_name_prefix="poll")
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
        log.info(
            "service-start",
            extra={"fields": {"pid": os.getpid(), "run": run_id, "workers": self.workers}},
        )
        settings = tracker.settings.service
        jobs: list[tuple[Any, str, float]] = [
            (self.tick, "tick", TICK_SECONDS),
            (self.reconcile, "reconcile", settings.reconcile_seconds),
            (self.catch_up, "catch-up", settings.catch_up_seconds),
            (self.heartbeat, "heartbeat", HEARTBEAT_SECONDS),
        ]
        if self.seat is not None:
            jobs.insert(0, (self.lead, "lead", LEAD_SECONDS))
        if tracker.alert_channels:
            jobs.append((self.deliver_alerts, "alerts", settings.alerts_seconds))
        for action, job_id, seconds in jobs:
            first = {} if job_id == "heartbeat" else {"next_run_time": now}
            self.scheduler.add_job(action, IntervalTrigger(seconds=seconds), id=job_id, **first)
        previous = {
            sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGTERM, signal.SIGINT)
        }
        try:
            self.scheduler.start()
            # Every fetch ends by its deadline; a few seconds more let its poll commit.
            self._wait_until_idle(tracker.settings.fetch.total_timeout + STOP_GRACE_SECONDS)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.pool.shutdown(wait=False, cancel_futures=True)
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
        # Nothing new starts. Not wait=True: a running poll that reschedules its job needs
        # the scheduler's locks, which a waiting shutdown holds. Polls are awaited in _serve().
        self.scheduler.shutdown(wait=False)

    def _wait_until_idle(self, seconds: float) -> None:
        with self._idle:
            self._idle.wait_for(lambda: self._busy == 0, timeout=seconds)

    # -- the jobs -------------------------------------------------------------------------

    def lead(self) -> None:
        """Take the leader's lock when it is free; notice when this process lost it."""
        self._guarded("lead", self._lead)

    def _lead(self) -> None:
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
            for job_id in ("reconcile", "catch-up", "alerts"):
                if not self.stopping.is_set() and self.scheduler.get_job(job_id) is not None:
                    self.scheduler.modify_job(job_id, next_run_time=now)

    def heartbeat(self) -> None:
        assert self.run_id is not None
        run_id = self.run_id
        self._guarded(
            "heartbeat", lambda: self.tracker.feeds.heartbeat(run_id, self.tracker.clock())
        )

    def catch_up(self) -> None:
        if self.leading:
            self._guarded("catch-up", self.tracker.runner.catch_up)

    def deliver_alerts(self) -> None:
        """Send what the alerts outbox holds (the leader's catch-up fills it)."""
        if self.leading:
            self._guarded("alerts", lambda: app.deliver_alerts(self.tracker))

    def reconcile(self) -> None:
        """Add and drop the feeds config/feeds.toml declares; settle long-dead runs."""
        if self.leading:
            self._guarded("reconcile", self._reconcile)

    def _reconcile(self) -> None:
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

    def tick(self) -> None:
        """Release what failed polls left claimed, renew long polls' claims, claim more."""
        self._guarded("tick", self._tick)

    def _tick(self) -> None:
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
        self._claim()

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
            if (result["new"] or result["revised"]) and self.leading:
                tracker.runner.catch_up()

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

    def _guarded(self, what: str, action: Any) -> None:
        # Expected failures (database trouble, a stopped projection) are logged; the
        # service keeps running and the next run tries again. Bugs are raised.
        if self.stopping.is_set():
            return
        with self._idle:
            self._busy += 1
        try:
            action()
        except TrackerError as exc:
            log.error("job-failed", extra={"fields": {"job": what, "error": str(exc)}})
        except (JobLookupError, SchedulerNotRunningError, RuntimeError):
            # The scheduler or the pool shut down under a job that was about to use it.
            if not self.stopping.is_set():
                raise
        except Exception as exc:
            # A bug, but one job's: logged as one line with its cause; the next run retries.
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
