"""Polling a condition with a deadline, for tests that watch another process work."""

from __future__ import annotations

import time
from collections.abc import Callable

import sqlalchemy as sa


def wait_for(check: Callable[[], bool], seconds: float = 60, every: float = 0.2) -> float:
    """Seconds until ``check`` held; AssertionError past ``seconds``.

    A database another process is writing may be briefly unreadable (locked, or a server
    restarting): an OperationalError from ``check`` counts as "not yet", never as a result."""
    began = time.monotonic()
    last: Exception | None = None
    while time.monotonic() - began < seconds:
        try:
            if check():
                return time.monotonic() - began
        except sa.exc.OperationalError as exc:
            last = exc
        time.sleep(every)
    raise AssertionError(f"not reached in {seconds} s (last database error: {last})")
