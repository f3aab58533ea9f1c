"""The feeds a service run holds: claimed and queued, being polled, or left claimed."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from tracker.domain.feeds import Feed
from tracker.store.claims import ClaimStore


class Claims:
    """Claims due feeds for a run, as many as it has free workers, and keeps each claim
    until its poll releases it; renews long polls' claims and releases what failed polls
    left claimed."""

    def __init__(
        self,
        store: ClaimStore,
        clock: Callable[[], datetime],
        *,
        workers: int,
        lease: timedelta,
        per_host: int,
    ) -> None:
        self._store = store
        self._clock = clock
        self.workers = workers
        self.lease = lease
        self.per_host = per_host
        self._lock = threading.Lock()
        self._claiming = threading.Lock()
        self._claimed: set[int] = set()  # feeds this run holds, queued or polling
        self._polling: set[int] = set()  # of those, the ones whose poll has started
        self._strays: set[int] = set()  # polls that ended without releasing their feed

    def free(self) -> int:
        """Workers with no claimed feed to poll."""
        with self._lock:
            return self.workers - len(self._claimed)

    def claim(self, run_id: int, hand: Callable[[Feed], object]) -> None:
        """Claim as many due feeds as there are free workers and ``hand`` each over."""
        if not self._claiming.acquire(blocking=False):
            return  # another thread is claiming now; the next tick or poll claims again
        try:
            free = self.free()
            if free <= 0:
                return
            now = self._clock()
            claimed = self._store.claim_due(
                run_id, now=now, until=now + self.lease, limit=free, per_host=self.per_host
            )
            with self._lock:
                self._claimed.update(feed.id for feed in claimed)
            for feed in claimed:
                hand(feed)
        finally:
            self._claiming.release()

    def tidy(self, run_id: int) -> None:
        """Release what failed polls left claimed; renew the claims of long polls."""
        now = self._clock()
        with self._claiming:
            with self._lock:
                strays = set(self._strays)
            if strays:
                self._store.release_claims(run_id, strays)
                with self._lock:
                    self._strays -= strays
            with self._lock:
                polling = bool(self._polling)
            if polling:
                # A claim is renewed when half its lease is gone: only polls that run long.
                lease = self.lease
                self._store.renew_claims(run_id, before=now + lease / 2, until=now + lease)

    def started(self, feed_id: int) -> None:
        with self._lock:
            self._polling.add(feed_id)

    def ended(self, feed_id: int, *, released: bool) -> None:
        """The poll of ``feed_id`` is over; a feed its poll did not release is a stray."""
        with self._lock:
            self._claimed.discard(feed_id)
            self._polling.discard(feed_id)
            if not released:
                self._strays.add(feed_id)

    def unstarted(self) -> set[int]:
        """The feeds held with no poll running: queued ones and strays."""
        with self._lock:
            return (self._claimed - self._polling) | self._strays
