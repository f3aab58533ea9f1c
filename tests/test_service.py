"""`tracker run` as a real process: polls, one per SQLite database (many on PostgreSQL),
clean stop, survives SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import IO

import sqlalchemy as sa
from feedserver import FeedServer
from test_cli_basics import run

from tracker.store.schema import events

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


def wait_for(check: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting")


def count(url: str, query: str) -> int:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text(query)).scalar() or 0)
    except sa.exc.OperationalError:
        return 0
    finally:
        engine.dispose()


def test_the_service_polls_shares_or_refuses_a_second_copy_and_stops_on_sigterm(
    migrated_url: str, server: FeedServer
) -> None:
    feed = server.url("/feeds/news-cbs-world-2026-02-17.xml")
    assert run("--db", migrated_url, "feeds", "add", feed, "--name", "cbs").returncode == 0
    service = start_service(migrated_url)
    try:
        wait_for(lambda: count(migrated_url, "SELECT count(*) FROM documents") == 30)
        status = json.loads(run("--db", migrated_url, "status", "--json").stdout)
        assert status["state"] == "running" and status["pid"] == service.pid
        assert status["recent_polls"][0]["new"] == 30
        if migrated_url.startswith("sqlite"):
            second = run("--db", migrated_url, "run", env=ENV)
            assert second.returncode == 1 and "already running" in second.stderr
            assert "use PostgreSQL" in second.stderr
            assert len(second.stderr.strip().splitlines()) == 1
        else:
            # PostgreSQL: a second process joins; the first, already leading, stays leader.
            joined = start_service(migrated_url)

            def both() -> bool:
                view = json.loads(run("--db", migrated_url, "status", "--json").stdout)
                return [p["state"] for p in view["processes"]] == ["running", "running"]

            wait_for(both, 30)
            status = json.loads(run("--db", migrated_url, "status", "--json").stdout)
            assert status["leader"]["pid"] == service.pid
            joined.send_signal(signal.SIGTERM)
            assert joined.wait(timeout=60) == 0
        # A feed added while the service runs is picked up without a restart.
        later = server.url("/feeds/news-abc-international-2026-02-17.xml")
        assert run("--db", migrated_url, "feeds", "add", later, "--name", "abc").returncode == 0
        wait_for(lambda: count(migrated_url, "SELECT count(*) FROM documents") == 55)
    finally:
        service.send_signal(signal.SIGTERM)
        _out, err = service.communicate(timeout=60)
    assert service.returncode == 0, err
    log_lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    polls = [line for line in log_lines if line["event"] == "poll"]
    assert polls and polls[0]["feed"] == "cbs" and polls[0]["new"] == 30
    stopped = json.loads(run("--db", migrated_url, "status", "--json").stdout)
    assert stopped["state"] == "stopped" and stopped["stop_reason"] == "signal SIGTERM"


def test_a_service_killed_mid_poll_loses_and_duplicates_nothing(
    migrated_url: str, server: FeedServer
) -> None:
    # The Guardian file, sent over about two seconds: kill lands while it is in flight.
    feed = server.url("/slow-feed/news-guardian-uk-2018-01-31.rss")
    assert run("--db", migrated_url, "feeds", "add", feed, "--name", "guardian").returncode == 0
    for _ in range(3):
        service = start_service(migrated_url)
        assert service.stderr is not None
        # Kill once it has started (start-up alone can take over a second on a busy machine).
        assert "service-start" in service.stderr.readline()
        time.sleep(0.6)
        service.kill()
        service.wait(timeout=30)
    status = json.loads(run("--db", migrated_url, "status", "--json").stdout)
    assert status["state"].startswith("not responding")
    service = start_service(migrated_url)
    try:
        wait_for(lambda: count(migrated_url, "SELECT count(*) FROM documents") == 55)
    finally:
        service.send_signal(signal.SIGTERM)
        service.communicate(timeout=60)
    stored = count(migrated_url, "SELECT count(*) FROM events WHERE type = 'DocumentIngested'")
    streams = count(migrated_url, "SELECT count(DISTINCT stream) FROM events")
    assert stored == streams == 55
    assert events.name == "events"
