"""`tracker run` as a real process: polls, one per SQLite database (many on PostgreSQL),
clean stop, survives SIGKILL."""

from __future__ import annotations

import json
import logging
import signal
import time
from pathlib import Path

import pytest
from support.cli import run
from support.db import count
from support.feedserver import FeedServer
from support.service import ENV, start_service
from support.trackers import make_tracker
from support.waiting import wait_for

from tracker import app
from tracker.service import TICK_JOB, Service


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
    # No half-written document: every stream's versions run 1..n without a gap.
    broken = count(
        migrated_url,
        "SELECT count(*) FROM (SELECT stream FROM events GROUP BY stream "
        "HAVING count(*) <> max(version)) AS broken",
    )
    assert broken == 0


def test_the_service_runs_one_job_whose_tick_polls_what_is_due_then_catches_up(
    migrated_url: str, server: FeedServer, tmp_path: Path
) -> None:
    # In-process, ticked by hand: the tick alone adds the feed feeds.toml declares,
    # polls it and brings the views up to date; nothing else is scheduled.
    feed = server.url("/feeds/news-cbs-world-2026-02-17.xml")
    (tmp_path / "feeds.toml").write_text(f'[[feeds]]\nname = "cbs"\nurl = "{feed}"\n')
    tracker = make_tracker(
        migrated_url,
        fetch={"allow_private_networks": True, "total_timeout": 10.0},
        service={"jitter_seconds": 0},
        config_dir=tmp_path,
    )
    service = Service(tracker, workers=2)
    try:
        service.begin()
        assert [job.id for job in service.scheduler.get_jobs()] == [TICK_JOB]
        service.tick()
        assert [f.name for f in tracker.feeds.all()] == ["cbs"]

        def projected() -> bool:
            service.tick()
            return count(migrated_url, "SELECT count(*) FROM documents") == 30

        wait_for(projected, 120)
        assert service.leading
        assert [job.id for job in service.scheduler.get_jobs()] == [TICK_JOB]
        assert count(migrated_url, "SELECT count(*) FROM feeds WHERE claimed_by IS NOT NULL") == 0
        checkpoints, head = tracker.runner.checkpoints(), tracker.log.last_position()
        assert {name: position for name, (position, _) in checkpoints.items()} == dict.fromkeys(
            checkpoints, head
        )
    finally:
        service.stopping.set()
        service.end()
        tracker.close()
    stopped = json.loads(run("--db", migrated_url, "status", "--json").stdout)
    assert stopped["state"] == "stopped" and stopped["processes"] == []


def test_a_refused_feeds_toml_fails_its_step_alone_and_the_tick_still_polls(
    migrated_url: str, server: FeedServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "feeds.toml").write_text('[[feeds]]\nurl = "http://bad host/feed"\n')
    tracker = make_tracker(
        migrated_url,
        fetch={"allow_private_networks": True, "total_timeout": 10.0},
        service={"jitter_seconds": 0},
        config_dir=tmp_path,
    )
    app.add_feed(tracker, server.url("/feeds/news-cbs-world-2026-02-17.xml"), name="cbs")
    service = Service(tracker, workers=2)
    try:
        service.begin()

        def projected() -> bool:
            service.tick()
            return count(migrated_url, "SELECT count(*) FROM documents") == 30

        with caplog.at_level(logging.ERROR, logger="tracker"):
            wait_for(projected, 120)
    finally:
        service.stopping.set()
        service.end()
        tracker.close()
    failed = [getattr(r, "fields", {}) for r in caplog.records if r.getMessage() == "job-failed"]
    assert [f["job"] for f in failed] == ["reconcile"]
    assert "feeds.toml: feeds[0].url" in failed[0]["error"]
