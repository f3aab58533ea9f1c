"""Faults and upgrades: the tracker keeps working, loses nothing, duplicates nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from support.cli import run
from support.db import documents_and_streams, one_row
from support.feedserver import FeedServer
from support.story import dump
from support.trackers import make_tracker

from tracker import app
from tracker.errors import StorageError
from tracker.ingest.extract import NoExtraction
from tracker.store.engine import make_engine
from tracker.store.migrations import schema_status, upgrade

T0 = datetime(2026, 1, 6, 12, tzinfo=UTC)


def test_a_database_from_the_first_revision_upgrades_with_every_event_readable(
    db_url: str,
) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0001")
    assert schema_status(engine).current == "0001"
    old_fact = {
        "key": "moscow/commented-on/paris-meeting",
        "subject": "moscow",
        "predicate": "commented-on",
        "object": "paris-meeting",
        "value": False,
        "valid_from": "2026-01-06",
        "evidence": {"document": "old-doc", "quote": "q"},
        "producer": {"kind": "curated"},
        "polarity": "negative",
    }
    document = {
        "doc_id": "old-doc",
        "identity": "seed:old",
        "source": "seed",
        "title": "Old",
        "content": "An old article.",
        "content_hash": "sha256:0",
        "published_at": "2026-01-06T00:00:00.000000+00:00",
    }
    with engine.begin() as conn:
        conn.execute(sa.text("SELECT 1"))
        from tracker.store.schema import events

        conn.execute(
            sa.insert(events),
            [
                {
                    "event_id": uuid.uuid4(),
                    "stream": "doc:old",
                    "version": 1,
                    "type": "DocumentIngested",
                    "schema_version": 1,
                    "data": document,
                    "occurred_at": T0,
                    "recorded_at": T0,
                },
                {
                    "event_id": uuid.uuid4(),
                    "stream": "doc:old",
                    "version": 2,
                    "type": "FactAsserted",
                    "schema_version": 1,
                    "data": old_fact,
                    "occurred_at": T0,
                    "recorded_at": T0,
                },
            ],
        )
    engine.dispose()
    upgrade(make_engine(db_url))
    tracker = make_tracker(db_url)
    try:
        read = tracker.log.read_after(0)
        assert [e.schema_version for e in read] == [1, 2]
        assert read[1].data["valid_from"] == "2026-01-06T00:00:00+00:00"
        app.seed(tracker)
        assert app.ask(tracker, "moscow-commented", at=T0)["answer"] is False
        incremental = dump(tracker)
        app.rebuild(tracker)
        assert dump(tracker) == incremental
    finally:
        tracker.close()


def test_the_timeline_reshape_resets_the_facts_projection_so_it_rebuilds(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0003")
    with engine.begin() as conn:  # what an older build had projected
        conn.execute(
            sa.text(
                "INSERT INTO projection_checkpoints (name, position, updated_at) "
                "VALUES ('facts', 40, '2026-01-06T12:00:00.000000+00:00')"
            )
        )
        conn.execute(sa.text("INSERT INTO current_facts (key) VALUES ('stale/key')"))
    upgrade(engine)
    left = one_row(
        db_url,
        "SELECT (SELECT count(*) FROM current_facts), "
        "(SELECT count(*) FROM projection_checkpoints WHERE name = 'facts')",
    )
    assert tuple(left) == (0, 0)
    tracker = make_tracker(db_url, extractor=NoExtraction())
    try:
        app.seed(tracker)
        keys = {fact["key"] for fact in app.state(tracker)["facts"]}
        assert "stale/key" not in keys and "moscow/commented-on/paris-meeting" in keys
        incremental = dump(tracker)
        app.rebuild(tracker)
        assert dump(tracker) == incremental
    finally:
        tracker.close()


def test_adding_the_feeds_added_url_keeps_every_feed_and_its_poll_history(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0004")
    when = "'2026-01-06T12:00:00.000000+00:00'"
    if engine.dialect.name == "postgresql":
        when += "::timestamptz"
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO feeds (id, name, url, every_seconds, origin, active, next_due_at, "
                f"consecutive_failures, created_at) VALUES (1, 'old', 'http://x.invalid/feed', "
                f"900, 'cli', true, {when}, 0, {when})"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO feed_polls (feed_id, started_at, finished_at, outcome, entries, "
                f"new_documents, revised_documents) VALUES (1, {when}, {when}, 'ok', 3, 3, 0)"
            )
        )
    upgrade(engine)
    engine.dispose()
    polls, url, added = one_row(
        db_url, "SELECT (SELECT count(*) FROM feed_polls), url, added_url FROM feeds"
    )
    assert (polls, url, added) == (1, "http://x.invalid/feed", "http://x.invalid/feed")


def test_a_writer_locked_out_past_the_busy_timeout_gets_a_clear_error_and_loses_nothing(
    sqlite_url: str,
) -> None:
    from tracker.bootstrap import bootstrap
    from tracker.config import load_settings, shipped_config_dir

    impatient = bootstrap(
        settings=load_settings(
            config_dir=shipped_config_dir(),
            environ={},
            overrides={"database": {"url": sqlite_url, "busy_timeout_ms": 200}},
        )
    )
    blocker = make_engine(sqlite_url)
    conn = blocker.connect().execution_options(tracker_write=True)
    transaction = conn.begin()  # BEGIN IMMEDIATE: holds the write lock
    try:
        with pytest.raises(StorageError, match="locked"):
            app.seed(impatient)
    finally:
        transaction.rollback()
        conn.close()
        blocker.dispose()
    assert impatient.log.last_position() == 0  # nothing half-written
    result = app.seed(impatient)
    assert result["appended"] == 62 and impatient.log.last_position() == 62
    impatient.close()


def test_the_cli_says_in_one_line_when_the_database_is_locked(sqlite_url: str) -> None:
    assert run("--db", sqlite_url, "seed").returncode == 0
    blocker = make_engine(sqlite_url)
    conn = blocker.connect().execution_options(tracker_write=True)
    transaction = conn.begin()
    try:
        result = run("--db", sqlite_url, "rebuild", env={"TRACKER_DATABASE_BUSY_TIMEOUT_MS": "200"})
    finally:
        transaction.rollback()
        conn.close()
        blocker.dispose()
    assert result.returncode == 1 and "locked" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


FULL_DISK = textwrap.dedent("""
    import os, subprocess, sys, uuid
    from datetime import UTC, datetime
    mount = sys.argv[1]
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mount], check=True)
    try:
        from tracker.domain.log import NewEvent
        from tracker.errors import StorageError
        from tracker.store.engine import make_engine
        from tracker.store.log import EventLog
        from tracker.store.migrations import upgrade
        engine = make_engine(f"sqlite:///{mount}/tracker.db")
        upgrade(engine)
        log = EventLog(engine, clock=lambda: datetime.now(UTC))
        now = datetime.now(UTC)
        stored, error = [], None
        for i in range(10_000):
            batch = [NewEvent(uuid.uuid4(), "Filler", {"i": i, "pad": "x" * 2000}, now)
                     for _ in range(20)]
            try:
                log.append(f"fill:{i}", batch)
            except StorageError as exc:
                error = str(exc)
                break
            stored.extend(e.event_id for e in batch)
        assert error is not None, "the file system never filled"
        print("ERROR", error)
        read = [e.event_id for e in log.iter_after(0)]
        assert read == stored, "events lost or half-written after the disk filled"
        engine.dispose()
    finally:
        subprocess.run(["umount", "-l", mount])
    print("OK", len(stored))
""")


def test_a_full_disk_is_a_clear_error_and_nothing_before_it_is_lost(tmp_path: Path) -> None:
    mount = tmp_path / "small"
    mount.mkdir()
    prefix = [] if os.geteuid() == 0 else ["unshare", "--map-root-user", "--mount"]
    result = subprocess.run(
        [*prefix, sys.executable, "-c", FULL_DISK, str(mount)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "ERROR write failed: database or disk is full" in result.stdout
    assert "OK" in result.stdout


def test_a_service_against_an_unreachable_database_stops_in_one_line() -> None:
    result = run("--db", "postgresql://nobody@127.0.0.1:1/tracker", "run")
    assert result.returncode == 1 and result.stderr.startswith("error: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_concurrent_pollers_store_every_entry_exactly_once(
    migrated_url: str, server: FeedServer
) -> None:
    names = [
        "news-abc-international-2026-02-17.xml",
        "news-cbs-world-2026-02-17.xml",
        "news-wsj-world-stale-2025-01-27.xml",
        "news-heise-developer-atom-2016-02-01.atom",
    ]
    tracker = make_tracker(migrated_url)
    for name in names:
        app.add_feed(tracker, server.url(f"/feeds/{name}"), name=name)
    tracker.close()
    env = {"TRACKER_FETCH_ALLOW_PRIVATE_NETWORKS": "1", "TRACKER_EXTRACT_ENABLED": "0"}
    base = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    pollers = [
        subprocess.Popen(
            [sys.executable, "-m", "tracker", "--db", migrated_url, "poll", "--json"],
            env={**base, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=120) for p in pollers]
    assert all(p.returncode == 0 for p in pollers), [o[1] for o in outputs]
    new = sum(r["new"] for out, _ in outputs for r in json.loads(out))
    ingested, streams = documents_and_streams(migrated_url)
    assert ingested == streams == 25 + 30 + 20 + 15
    assert new <= ingested * 4  # each process reports what it saw; the log has each once


def test_losing_postgres_mid_poll_is_survived_and_nothing_is_missing(
    postgres_url: str, server: FeedServer, tmp_path: Path
) -> None:
    import signal
    import time

    import psycopg
    from support.service import start_service
    from support.waiting import wait_for

    upgrade(make_engine(postgres_url))
    tracker = make_tracker(postgres_url)
    slow = "/slow-feed/news-guardian-uk-2018-01-31.rss"
    app.add_feed(tracker, server.url(slow), name="g")
    tracker.close()
    database = sa.make_url(postgres_url).database
    admin = sa.make_url(postgres_url).set(database="postgres").render_as_string(hide_password=False)
    log_path = tmp_path / "service.log"
    with log_path.open("w") as log:
        service = start_service(postgres_url, log)
        try:
            # the poll is in flight (however long start-up took): cut every connection, twice
            wait_for(lambda: server.hits.get(slow, 0) > 0, seconds=60)
            with psycopg.connect(admin, autocommit=True) as conn:
                for _ in range(2):
                    conn.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = %s AND pid <> pg_backend_pid()",
                        (database,),
                    )
                    time.sleep(0.5)
            engine = make_engine(postgres_url)

            def stored() -> int:
                try:
                    with engine.connect() as conn:
                        return int(
                            conn.execute(sa.text("SELECT count(*) FROM documents")).scalar() or 0
                        )
                except sa.exc.SQLAlchemyError:
                    return -1

            wait_for(lambda: stored() == 55, seconds=120)
            assert service.poll() is None, "the service died with its database connection"
        finally:
            service.send_signal(signal.SIGTERM)
            service.wait(timeout=60)
    engine.dispose()
    assert documents_and_streams(postgres_url) == (55, 55)


class _RacingExtractor:
    """Stands in for a second process that stores the same document mid-poll, once."""

    def __init__(self, url: str, server: FeedServer, *, change: bool = True) -> None:
        self.url, self.server, self.raced, self.change = url, server, False, change

    def extract(self, document: object) -> list[object]:
        if not self.raced:
            self.raced = True
            rival = make_tracker(
                self.url, fetch={"allow_private_networks": True}, extractor=NoExtraction()
            )
            try:
                feed = rival.feeds.get("race")
                assert feed is not None
                served = self.server.mutable["race"]
                if self.change:
                    self.server.mutable["race"] = served.replace(b"Second", b"Third")
                app.poll_feed(rival, feed)  # commits its own revision first
                self.server.mutable["race"] = served
            finally:
                rival.close()
        return []

    def extract_many(self, documents: list[object]) -> list[list[object]]:
        return [self.extract(document) for document in documents]


def test_a_poll_that_loses_a_race_plans_again_and_stores_once(
    migrated_url: str, server: FeedServer
) -> None:
    from support.feedserver import rss

    item = {"guid": "x", "title": "First title", "link": "http://news.invalid/x"}
    server.mutable["race"] = rss([item])
    tracker = make_tracker(
        migrated_url, fetch={"allow_private_networks": True}, extractor=NoExtraction()
    )
    app.add_feed(tracker, server.url("/mutable/race"), name="race")
    app.poll(tracker)
    tracker.close()
    server.mutable["race"] = rss([{**item, "title": "Second title"}])
    racing = make_tracker(
        migrated_url,
        fetch={"allow_private_networks": True},
        extractor=_RacingExtractor(migrated_url, server),
    )  # type: ignore[arg-type]
    try:
        feed = racing.feeds.get("race")
        assert feed is not None
        result = app.poll_feed(racing, feed)
        # The rival's revision landed between our plan and our append: ConcurrencyError,
        # then a fresh plan from the log, so ours follows it instead of being lost.
        assert result["outcome"] == "ok" and result["revised"] == 1
        revised = racing.log.read_after(0, types=["DocumentRevised"])
        assert [e.data["changes"] for e in revised] == [
            {"title": "Third title"},
            {"title": "Second title"},
        ]
        assert [e.version for e in revised] == [2, 3]
    finally:
        racing.close()


def test_a_document_another_process_stored_first_is_not_counted_as_new(
    migrated_url: str, server: FeedServer
) -> None:
    from support.feedserver import rss

    server.mutable["race"] = rss([{"guid": "y", "title": "Same", "link": "http://n.invalid/y"}])
    racing = make_tracker(
        migrated_url,
        fetch={"allow_private_networks": True},
        extractor=_RacingExtractor(migrated_url, server, change=False),  # type: ignore[arg-type]
    )
    try:
        app.add_feed(racing, server.url("/mutable/race"), name="race")
        feed = racing.feeds.get("race")
        assert feed is not None
        result = app.poll_feed(racing, feed)  # the rival stores the very same events first
        assert result["new"] == 0 and result["revised"] == 0
        stored = racing.log.read_after(0, types=["DocumentIngested"])
        assert len(stored) == 1
    finally:
        racing.close()
