"""`tracker run`: one APScheduler process polling feeds and catching projections up.

The schedule's truth is the database (each feed's next due time), so a restart
resumes where the last run stopped. One service per database: a PostgreSQL
advisory lock, or a lock file beside an SQLite database. SIGTERM and SIGINT
stop it cleanly: running polls finish (each within its fetch timeouts) and no
half-written document is left, since a poll commits in one transaction.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import threading
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
from tracker.errors import ServiceLockedError, TrackerError
from tracker.store.locks import ServiceLock

log = logging.getLogger("tracker")
STOP_GRACE_SECONDS = 5


def _locked_message(tracker: Tracker) -> str:
    run = tracker.feeds.latest_run()
    where = (
        f" (pid {run['pid']} on {run['host']}, since {run['started_at']:%Y-%m-%d %H:%M})"
        if run and run["stopped_at"] is None
        else ""
    )
    return f"a tracker service is already running on this database{where}"


class Service:
    def __init__(self, tracker: Tracker, *, workers: int | None = None) -> None:
        self.tracker = tracker
        workers = workers or tracker.settings.service.workers
        self.scheduler = BlockingScheduler(
            # Polls have their own pool; the heartbeat, catch-up and reconcile jobs never
            # wait behind a slow feed.
            executors={"default": ThreadPoolExecutor(workers), "control": ThreadPoolExecutor(4)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            timezone="UTC",
        )
        self.run_id: int | None = None
        self.stop_reason = "stopped"
        self.stopping = threading.Event()
        self._busy = 0
        self._idle = threading.Condition()

    def run(self) -> None:
        tracker = self.tracker
        settings = tracker.settings.service
        with ServiceLock(tracker.engine).hold() as taken:
            if not taken:
                raise ServiceLockedError(_locked_message(tracker))
            self.run_id = tracker.feeds.start_run(
                host=socket.gethostname(), pid=os.getpid(), now=tracker.clock()
            )
            log.info("service-start", extra={"fields": {"pid": os.getpid()}})
            now = tracker.clock()
            self.scheduler.add_job(
                self.reconcile,
                IntervalTrigger(seconds=settings.reconcile_seconds),
                id="reconcile",
                executor="control",
                next_run_time=now,
            )
            self.scheduler.add_job(
                self.catch_up,
                IntervalTrigger(seconds=settings.catch_up_seconds),
                id="catch-up",
                executor="control",
                next_run_time=now,
            )
            if tracker.alert_channels:
                self.scheduler.add_job(
                    self.deliver_alerts,
                    IntervalTrigger(seconds=settings.alerts_seconds),
                    id="alerts",
                    executor="control",
                    next_run_time=now,
                )
            self.scheduler.add_job(
                self.heartbeat,
                IntervalTrigger(seconds=HEARTBEAT_SECONDS),
                id="heartbeat",
                executor="control",
            )
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
                tracker.feeds.stop_run(self.run_id, tracker.clock(), self.stop_reason)
                log.info(
                    "service-stop",
                    extra={"fields": {"reason": self.stop_reason, "busy": self._busy}},
                )
        if self._busy:
            # A job still running past the grace (extraction of a huge text, a stuck
            # driver) would hold the interpreter's exit, which joins worker threads.
            # A poll commits in one transaction, so leaving it half-way loses nothing.
            for sink in logging.getLogger("tracker").handlers:
                sink.flush()
            os._exit(0)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        self.stop_reason = f"signal {signal.Signals(signum).name}"
        self.stopping.set()
        self.tracker.stopping.set()  # polls reading articles stop asking for more
        # Nothing new starts. Not wait=True: a running poll that reschedules its job needs
        # the scheduler's locks, which a waiting shutdown holds. Polls are awaited in run().
        self.scheduler.shutdown(wait=False)

    def _wait_until_idle(self, seconds: float) -> None:
        with self._idle:
            self._idle.wait_for(lambda: self._busy == 0, timeout=seconds)

    def heartbeat(self) -> None:
        assert self.run_id is not None
        self._guarded(
            "heartbeat",
            lambda: self.tracker.feeds.heartbeat(self.run_id or 0, self.tracker.clock()),
        )

    def catch_up(self) -> None:
        self._guarded("catch-up", self.tracker.runner.catch_up)

    def deliver_alerts(self) -> None:
        """Send what the alerts outbox holds (the catch-up job fills it)."""
        self._guarded("alerts", lambda: app.deliver_alerts(self.tracker))

    def reconcile(self) -> None:
        """Match the scheduler's jobs to the feeds table (and config/feeds.toml)."""
        self._guarded("reconcile", self._reconcile)

    def _reconcile(self) -> None:
        tracker = self.tracker
        if self.stopping.is_set():
            return
        app.sync_config_feeds(tracker)
        jitter = tracker.settings.service.jitter_seconds
        wanted = {f"feed:{f.id}": f for f in tracker.feeds.all() if f.active}
        for job in self.scheduler.get_jobs():
            if job.id.startswith("feed:") and job.id not in wanted:
                job.remove()
        now = tracker.clock()
        for job_id, feed in wanted.items():
            job = self.scheduler.get_job(job_id)
            if job is None:
                self.scheduler.add_job(
                    self.poll,
                    IntervalTrigger(seconds=feed.every_seconds, jitter=jitter),
                    args=[feed.id],
                    id=job_id,
                    next_run_time=max(now, feed.next_due_at),
                )
            elif job.trigger.interval != timedelta(seconds=feed.every_seconds):
                job.reschedule(IntervalTrigger(seconds=feed.every_seconds, jitter=jitter))

    def poll(self, feed_id: int) -> None:
        def once() -> None:
            tracker = self.tracker
            feed = tracker.feeds.by_id(feed_id)
            if feed is None or not feed.active:
                return
            now = tracker.clock()
            if feed.next_due_at > now + timedelta(seconds=1):
                # Backing off (failures, Retry-After): the database's due time rules.
                self._move(feed_id, feed.next_due_at)
                return
            result = app.poll_feed(tracker, feed)
            after = tracker.feeds.by_id(feed_id)
            if after is not None and after.active:
                self._move(feed_id, after.next_due_at)
            elif after is not None and not self.stopping.is_set():
                job = self.scheduler.get_job(f"feed:{feed_id}")
                if job is not None:
                    job.remove()
            if result["new"] or result["revised"]:
                tracker.runner.catch_up()

        self._guarded(f"poll feed {feed_id}", once)

    def _move(self, feed_id: int, when: Any) -> None:
        if self.stopping.is_set():
            return
        job = self.scheduler.get_job(f"feed:{feed_id}")
        if job is not None:
            job.modify(next_run_time=when)

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
        except (JobLookupError, SchedulerNotRunningError):
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
