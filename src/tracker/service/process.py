"""The service process: its run from start to stop, and the tick."""

from __future__ import annotations

import logging
import os
import random
import signal
import socket
import threading
from concurrent.futures import ThreadPoolExecutor as Pool
from datetime import timedelta
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from tracker import app
from tracker.app import HEARTBEAT_SECONDS, Tracker
from tracker.domain.feeds import Feed
from tracker.errors import ServiceLockedError, TrackerError
from tracker.service.claims import Claims
from tracker.service.steps import Steps
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
    run = tracker.runs.latest_run()
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
        self.steps = Steps(tracker.clock, self.stopping)
        settings = tracker.settings
        self.claims = Claims(
            tracker.claims,
            tracker.clock,
            workers=self.workers,
            # A claim outlives the slowest fetch by the margin (renewed while the poll runs).
            lease=timedelta(
                seconds=settings.fetch.total_timeout + settings.service.lease_margin_seconds
            ),
            per_host=settings.service.per_host,
        )
        self._stored = threading.Event()  # a poll of this run stored documents
        self._turn = threading.Lock()
        self._leader_queued = False

    def run(self) -> None:
        if self.postgres:
            self._serve()
        else:
            with ServiceLock(self.tracker.engine).hold() as taken:
                if not taken:
                    raise ServiceLockedError(_locked_message(self.tracker))
                self._serve()
        if self.steps.busy:
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
            self.steps.wait_until_idle(
                self.tracker.settings.fetch.total_timeout + STOP_GRACE_SECONDS
            )
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.end()

    def begin(self) -> None:
        """Record the run, take the lead on SQLite, and schedule the tick (not started)."""
        tracker = self.tracker
        runs = tracker.runs
        now = tracker.clock()
        self.run_id = run_id = runs.start_run(host=socket.gethostname(), pid=os.getpid(), now=now)
        if self.postgres:
            self.seat = Seat(tracker.engine, run_id)
        else:
            # The lock file proves every earlier run dead: their claims and rows are settled.
            tracker.claims.release_claims(None)
            runs.settle_dead_runs({r["id"] for r in runs.unstopped_runs()} - {run_id})
            self.leading = True
            runs.set_leader(run_id, now)
        self.steps.due_at("heartbeat", now + timedelta(seconds=HEARTBEAT_SECONDS))
        for step in ("reconcile", "catch-up", "alerts"):
            self.steps.due_at(step, now)
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
            extra={"fields": {"reason": self.stop_reason, "busy": self.steps.busy}},
        )

    def _let_go(self) -> None:
        """Release the feeds claimed but not being polled, record the stop, leave the lead."""
        tracker = self.tracker
        assert self.run_id is not None
        try:
            tracker.claims.release_claims(self.run_id, self.claims.unstarted())
            tracker.runs.stop_run(self.run_id, tracker.clock(), self.stop_reason)
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

    # -- the tick -------------------------------------------------------------------------

    def tick(self) -> None:
        """One turn of the service: lead, beat, tidy claims, reconcile, claim, catch up.

        Each step is guarded on its own, so a failing one (feeds.toml refused, the
        database away for a moment) never keeps the others from running.
        """
        steps = self.steps
        if self.seat is not None:
            steps.run("lead", self._lead)
        if steps.due("heartbeat", HEARTBEAT_SECONDS):
            steps.run("heartbeat", self._heartbeat)
        steps.run("claims", self._tidy_claims)
        if self.leading and steps.due("reconcile", self.tracker.settings.service.reconcile_seconds):
            steps.run("reconcile", self._reconcile)
        steps.run("claim", self._claim)
        if self.leading:
            self._hand_to_leader()

    def _lead(self) -> None:
        """Take the leader's lock when it is free; notice when this process lost it."""
        assert self.seat is not None and self.run_id is not None
        leading = self.seat.check()
        if leading == self.leading:
            return
        self.leading = leading
        now = self.tracker.clock()
        log.info("leader" if leading else "leader-lost", extra={"fields": {"run": self.run_id}})
        self.tracker.runs.set_leader(self.run_id, now if leading else None)
        if leading:
            # Whatever the last leader left undone starts now, not at the next interval.
            for step in ("reconcile", "catch-up", "alerts"):
                self.steps.due_at(step, now)

    def _heartbeat(self) -> None:
        assert self.run_id is not None
        self.tracker.runs.heartbeat(self.run_id, self.tracker.clock())

    def _tidy_claims(self) -> None:
        assert self.run_id is not None
        self.claims.tidy(self.run_id)

    def _reconcile(self) -> None:
        """Add and drop the feeds config/feeds.toml declares; settle long-dead runs."""
        tracker = self.tracker
        app.sync_config_feeds(tracker)
        if self.postgres:
            alive = presence(tracker.engine).alive
            limit = tracker.clock() - timedelta(seconds=SETTLE_DEAD_SECONDS)
            dead = {
                r["id"]
                for r in tracker.runs.unstopped_runs()
                if r["id"] not in alive and r["heartbeat_at"] < limit
            }
            tracker.runs.settle_dead_runs(dead)

    def _claim(self) -> None:
        """Claim as many due feeds as there are free workers and hand them to the pool."""
        if self.stopping.is_set():
            return
        assert self.run_id is not None
        self.claims.claim(self.run_id, lambda feed: self.pool.submit(self.poll, feed))

    # -- the leader's work, on its own worker ---------------------------------------------

    def _hand_to_leader(self) -> None:
        """Queue catch-up and alerts on the leader's worker, unless a turn is queued."""
        with self._turn:
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
            if self.leading and (self.steps.due("catch-up", settings.catch_up_seconds) or fresh):
                self._stored.clear()
                self.steps.run("catch-up", self.tracker.runner.catch_up)
            if (
                self.leading
                and self.tracker.alert_channels
                and self.steps.due("alerts", settings.alerts_seconds)
            ):
                # What the catch-up just put in the outbox goes out in the same turn.
                self.steps.run("alerts", lambda: app.deliver_alerts(self.tracker))
        finally:
            with self._turn:
                self._leader_queued = False

    # -- a poll, on the pool --------------------------------------------------------------

    def poll(self, feed: Feed) -> None:
        """Poll one claimed feed; its poll's transaction releases it with its next due time."""
        tracker = self.tracker
        released = False

        def once() -> None:
            nonlocal released
            self.claims.started(feed.id)
            jitter = random.uniform(0, tracker.settings.service.jitter_seconds)
            result = app.poll_feed(tracker, feed, claim=self.run_id, jitter=jitter)
            released = True
            if result["new"] or result["revised"]:
                self._stored.set()
                if self.leading:
                    self._hand_to_leader()

        try:
            self.steps.run(f"poll feed {feed.name}", once)
        finally:
            self.claims.ended(feed.id, released=released)
        # Half the workers free: claim again now rather than at the next tick. Not after
        # every poll: each claim takes its turn on a lock every process shares.
        if self.claims.free() >= max(1, self.workers // 2):
            self.steps.run("claim", self._claim)
