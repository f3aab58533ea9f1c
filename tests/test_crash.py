"""Crash anywhere: SIGKILL the service at random moments, restart it, and check the books.

TRACKER_CRASH_KILLS sets how many kills per backend (default 50); the soak variant
in bench/crash_soak.sh runs many more.
"""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import sqlalchemy as sa
from support.db import count, documents_and_streams
from support.feedserver import FeedServer, growing_feed
from support.service import start_service
from support.story import dump
from support.trackers import make_tracker
from support.waiting import wait_for

from tracker import app
from tracker.store.engine import make_engine
from tracker.store.schema import feeds

KILLS = int(os.environ.get("TRACKER_CRASH_KILLS", "50"))
SLOW = ["news-guardian-uk-2018-01-31.rss", "news-cbs-world-2026-02-17.xml"]
EXPECTED_SLOW = 55 + 30


def test_killing_the_service_anywhere_loses_and_duplicates_nothing(
    migrated_url: str, server: FeedServer, tmp_path: Path
) -> None:
    log = (tmp_path / "service.log").open("w")
    tracker = make_tracker(migrated_url)
    server.mutable["grow"] = growing_feed(0)
    app.add_feed(tracker, server.url("/mutable/grow"), name="grow")
    for name in SLOW:
        app.add_feed(tracker, server.url(f"/slow-feed/{name}"), name=name)
    with tracker.engine.begin() as conn:  # poll every second, so each run has work in flight
        conn.execute(sa.update(feeds).values(every_seconds=1))
    tracker.close()

    rng = random.Random(2026)
    for cycle in range(KILLS):
        server.mutable["grow"] = growing_feed(cycle)
        service = start_service(migrated_url, log)
        time.sleep(rng.uniform(0.2, 2.5))
        service.send_signal(signal.SIGKILL)
        service.wait(timeout=30)

    expected = EXPECTED_SLOW + 10 + 2 * (KILLS - 1)
    engine = make_engine(migrated_url)
    service = start_service(migrated_url, log)
    try:
        wait_for(
            lambda: (
                count(engine, "SELECT count(*) FROM documents") == expected
                and count(engine, "SELECT min(position) FROM projection_checkpoints")
                == count(engine, "SELECT max(position) FROM events")
            ),
            seconds=180,
        )
    finally:
        service.send_signal(signal.SIGTERM)
        assert service.wait(timeout=60) == 0
        log.close()

    ingested, streams = documents_and_streams(migrated_url)
    with engine.connect() as conn:
        gaps = conn.execute(
            sa.text(
                "SELECT count(*) FROM (SELECT stream FROM events GROUP BY stream "
                "HAVING count(*) <> max(version)) AS broken"
            )
        ).scalar()
        title = conn.execute(
            sa.text("SELECT title FROM documents WHERE title LIKE 'Story 0%'")
        ).scalar()
    engine.dispose()
    assert ingested == streams == expected, "an entry was lost or stored twice"
    assert gaps == 0, "a stream has a gap or a duplicate version"
    assert title == f"Story 0, revision {(KILLS - 1) // 5}"

    tracker = make_tracker(migrated_url)
    try:
        live = dump(tracker)
        app.rebuild(tracker)
        assert dump(tracker) == live, "projections differ from a fresh rebuild"
    finally:
        tracker.close()
