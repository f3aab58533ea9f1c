"""The service's steps: each run guarded on its own, counted while it runs, due at intervals."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers import SchedulerNotRunningError

from tracker.errors import TrackerError

log = logging.getLogger("tracker")


class Steps:
    """Runs one step at a time per caller, guarded, and counts the steps running so a stop
    can wait for them; knows when each periodic step is next due."""

    def __init__(self, clock: Callable[[], datetime], stopping: threading.Event) -> None:
        self._clock = clock
        self.stopping = stopping
        self.busy = 0
        self._idle = threading.Condition()
        # When each periodic step is next due.
        self._next: dict[str, datetime] = {}

    def due_at(self, step: str, when: datetime) -> None:
        self._next[step] = when

    def due(self, step: str, every: float) -> bool:
        """Whether ``step`` is due now; if so it is next due ``every`` seconds on."""
        now = self._clock()
        if now < self._next[step]:
            return False
        self._next[step] = now + timedelta(seconds=every)
        return True

    def wait_until_idle(self, seconds: float) -> None:
        with self._idle:
            self._idle.wait_for(lambda: self.busy == 0, timeout=seconds)

    def run(self, what: str, action: Callable[[], object]) -> None:
        # Expected failures (database trouble, a stopped projection) are logged; the
        # service keeps running and the next tick tries again. Bugs are raised.
        if self.stopping.is_set():
            return
        with self._idle:
            self.busy += 1
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
                self.busy -= 1
                self._idle.notify_all()
