"""`tracker run` as a child process, set to poll and catch up every second."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import IO

ENV = {
    "TRACKER_FETCH_ALLOW_PRIVATE_NETWORKS": "1",
    "TRACKER_SERVICE_CATCH_UP_SECONDS": "1",
    "TRACKER_SERVICE_RECONCILE_SECONDS": "1",
    "TRACKER_SERVICE_JITTER_SECONDS": "0",
    # A feed claimed by a killed service is free again 15 s later, not 90 s.
    "TRACKER_FETCH_TOTAL_TIMEOUT": "10",
    "TRACKER_SERVICE_LEASE_MARGIN_SECONDS": "5",
}


def start_service(
    url: str, log: IO[str] | None = None, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    """Start `tracker run`; its log goes to ``log`` (a file: a pipe nobody reads fills up)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    return subprocess.Popen(
        [sys.executable, "-m", "tracker", "--db", url, "run"],
        env={**base, **ENV, **(env or {})},
        stdout=subprocess.DEVNULL if log else subprocess.PIPE,
        stderr=log or subprocess.PIPE,
        text=True,
    )
