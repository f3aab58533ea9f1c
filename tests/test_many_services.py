"""Many `tracker run` processes on one PostgreSQL database, killed and restarted at random:
each feed is polled by one process at a time, each entry stored once, one leader at a time.

TRACKER_MANY_FEEDS and TRACKER_MANY_KILLS size the shared-work test (60 feeds, 6 kills);
bench/many_services_soak.py runs it at 200 feeds and 20 kills.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from support.alertpeers import Receiver
from support.alerts import ENV as ALERT_ENV
from support.alerts import config
from support.cli import run
from support.db import count, documents_and_streams
from support.feedserver import FeedServer, growing_feed, rss
from support.story import MOSCOW_KEY, assert_event, dump, fact
from support.trackers import make_tracker, migrated
from support.waiting import wait_for

from tracker import app
from tracker.store.engine import make_engine
from tracker.store.locks import presence
from tracker.store.schema import feeds

FEEDS = int(os.environ.get("TRACKER_MANY_FEEDS", "60"))
KILLS = int(os.environ.get("TRACKER_MANY_KILLS", "6"))
PROCESSES = 3
PER_HOST = 4
ENV = {
    "TRACKER_FETCH_ALLOW_PRIVATE_NETWORKS": "1",
    "TRACKER_EXTRACT_ENABLED": "0",
    "TRACKER_SERVICE_CATCH_UP_SECONDS": "1",
    "TRACKER_SERVICE_RECONCILE_SECONDS": "1",
    "TRACKER_SERVICE_JITTER_SECONDS": "0",
    "TRACKER_SERVICE_WORKERS": "4",
    "TRACKER_SERVICE_PER_HOST": str(PER_HOST),
    # A claim lasts 4 + 4 s: a killed process's feeds are polled again within 8 s.
    "TRACKER_FETCH_TOTAL_TIMEOUT": "4",
    "TRACKER_FETCH_CONNECT_TIMEOUT": "2",
    "TRACKER_FETCH_READ_TIMEOUT": "3",
    "TRACKER_SERVICE_LEASE_MARGIN_SECONDS": "4",
}


def start(url: str, log: IO[str], env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    return subprocess.Popen(
        [sys.executable, "-m", "tracker", "--db", url, "run"],
        env={**base, **ENV, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=log,
        text=True,
    )


def stop_all(processes: list[subprocess.Popen[str]]) -> list[int | None]:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    codes = []
    for process in processes:
        try:
            codes.append(process.wait(timeout=30))
        except subprocess.TimeoutExpired:
            process.kill()
            codes.append(process.wait())
    return codes


def all_up(engine: sa.Engine) -> None:
    """Wait for every process to be up (a SIGTERM during start-up ends one unhandled)."""
    wait_for(lambda: len(presence(engine).alive) == PROCESSES, 30)


def leader_pid(engine: sa.Engine) -> int | None:
    """The pid of the process holding the leader's lock now."""
    run_id = presence(engine).leader
    if run_id is None:
        return None
    with engine.connect() as conn:
        pid = conn.execute(sa.text("SELECT pid FROM service_runs WHERE id = :r"), {"r": run_id})
        return int(pid.scalar_one())


def the_leader(engine: sa.Engine, processes: list[subprocess.Popen[str]]) -> subprocess.Popen[str]:
    """The process that leads, once one of ``processes`` does."""
    found: list[subprocess.Popen[str]] = []

    def leads() -> bool:
        pid = leader_pid(engine)
        found[:] = [p for p in processes if p.pid == pid]
        return bool(found)

    wait_for(leads, 30)
    return found[0]


def plain_feed(n: int, entries: int = 5) -> bytes:
    return rss(
        [
            {
                "guid": f"p{n}-{i}",
                "title": f"Plain {n} story {i}",
                "link": f"http://news.invalid/plain/{n}/{i}",
                "description": f"Body {i} of plain feed {n}.",
            }
            for i in range(entries)
        ]
    )


def overlaps(spans: list[tuple[float, float]]) -> int:
    """How many spans begin before the one before them ended."""
    ordered = sorted(spans)
    return sum(1 for a, b in itertools.pairwise(ordered) if b[0] < a[1])


def most_at_once(spans: list[tuple[Any, Any]]) -> int:
    edges = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans])
    high = now = 0
    for _, step in edges:
        now += step
        high = max(high, now)
    return high


def shared_work(
    url: str,
    server: FeedServer,
    tmp_path: Path,
    *,
    feeds_n: int,
    kills: int,
    settle_seconds: float = 90,
) -> dict[str, Any]:
    """Three services on ``feeds_n`` feeds, ``kills`` SIGKILLs; returns what was measured."""
    slow, failing, growing = feeds_n // 8, feeds_n // 8, feeds_n // 8
    plain = feeds_n - slow - failing - growing
    tracker = make_tracker(url, fetch={"allow_private_networks": True})
    for n in range(plain):
        server.mutable[f"plain-{n}"] = plain_feed(n)
        app.add_feed(tracker, server.url(f"/mutable/plain-{n}"), name=f"plain-{n}")
    for n in range(slow):
        server.mutable[f"slow-{n}"] = plain_feed(1000 + n, entries=8)
        app.add_feed(tracker, server.url(f"/slow-mutable/slow-{n}"), name=f"slow-{n}")
    for n in range(failing):
        app.add_feed(tracker, server.url(f"/failing/{n}"), name=f"failing-{n}")
    for n in range(growing):
        server.mutable[f"grow-{n}"] = growing_feed(0)
        app.add_feed(tracker, server.url(f"/mutable/grow-{n}"), name=f"grow-{n}")
    with tracker.engine.begin() as conn:  # every 2 s: each process always has work in flight
        conn.execute(sa.update(feeds).values(every_seconds=2))
    tracker.close()
    first_span = len(server.spans)

    engine = make_engine(url)
    rng = random.Random(2027)
    log = (tmp_path / "services.log").open("w")
    processes = [start(url, log) for _ in range(PROCESSES)]
    killed_leaders = 0
    try:
        wait_for(lambda: leader_pid(engine) is not None, 30)
        for cycle in range(1, kills + 1):
            time.sleep(rng.uniform(2.0, 4.0))
            all_up(engine)  # each kill lands on a process at work, not one starting up
            leader = leader_pid(engine)
            # Every third kill takes the leader; the others a process chosen at random.
            victims = [p for p in processes if p.pid == leader] if cycle % 3 == 1 else []
            victim = victims[0] if victims else rng.choice(processes)
            killed_leaders += victim.pid == leader
            victim.send_signal(signal.SIGKILL)
            victim.wait(timeout=30)
            for n in range(growing):
                server.mutable[f"grow-{n}"] = growing_feed(cycle)
            processes[processes.index(victim)] = start(url, log)
        expected = plain * 5 + slow * 8 + growing * (10 + 2 * kills)
        settled = wait_for(
            lambda: (
                count(engine, "SELECT count(*) FROM documents") == expected
                and count(engine, "SELECT min(position) FROM projection_checkpoints")
                == count(engine, "SELECT max(position) FROM events")
            ),
            settle_seconds,
            every=0.5,
        )
        all_up(engine)
    finally:
        codes = stop_all(processes)
        log.close()
    assert codes == [0] * PROCESSES, codes

    with engine.connect() as conn:
        polls = conn.execute(
            sa.text("SELECT feed_id, started_at, finished_at FROM feed_polls ORDER BY id")
        ).all()
        gaps = conn.execute(
            sa.text(
                "SELECT count(*) FROM (SELECT stream FROM events GROUP BY stream "
                "HAVING count(*) <> max(version)) AS broken"
            )
        ).scalar()
        titles = conn.execute(
            sa.text("SELECT count(*) FROM documents WHERE title = :t"),
            {"t": f"Story 0, revision {kills // 5}"},
        ).scalar()
    engine.dispose()
    by_feed: dict[int, list[tuple[datetime, datetime]]] = {}
    for feed_id, began, ended in polls:
        by_feed.setdefault(feed_id, []).append((began, ended))
    spans = server.spans[first_span:]
    by_path: dict[str, list[tuple[float, float]]] = {}
    for path, began_at, ended_at in spans:
        by_path.setdefault(path, []).append((began_at, ended_at))
    ingested, streams = documents_and_streams(url)
    status = app_status(url)
    return {
        "expected": expected,
        "ingested": ingested,
        "streams": streams,
        "gaps": gaps,
        "latest_revisions": titles,
        "growing": growing,
        "polls": len(polls),
        "overlapping_polls": sum(overlaps(p) for p in by_feed.values()),
        "overlapping_requests": sum(overlaps(p) for p in by_path.values()),
        "requests": len(spans),
        "most_polls_at_once": most_at_once([(b, e) for p in by_feed.values() for b, e in p]),
        "killed_leaders": killed_leaders,
        "dead_shown": sum(1 for p in status["processes"] if p["state"] == "dead"),
        "settled_seconds": round(settled, 1),
    }


def app_status(url: str) -> dict[str, Any]:
    tracker = make_tracker(url)
    try:
        return app.service_status(tracker)
    finally:
        tracker.close()


def rebuild_matches(url: str) -> bool:
    tracker = make_tracker(url)
    try:
        live = dump(tracker)
        app.rebuild(tracker)
        return dump(tracker) == live
    finally:
        tracker.close()


def test_three_services_killed_at_random_share_the_feeds_and_store_each_entry_once(
    postgres_url: str, server: FeedServer, tmp_path: Path
) -> None:
    url = migrated(postgres_url)
    seen = shared_work(url, server, tmp_path, feeds_n=FEEDS, kills=KILLS)
    print(seen)
    assert seen["ingested"] == seen["streams"] == seen["expected"], seen
    assert seen["gaps"] == 0, "a stream has a gap or a duplicate version"
    assert seen["latest_revisions"] == seen["growing"], "a revision was lost"
    assert seen["overlapping_polls"] == 0, "a feed was polled by two processes at once"
    assert seen["overlapping_requests"] == 0, "a feed's server saw two requests at once"
    assert seen["most_polls_at_once"] <= PER_HOST, "more requests to one host than allowed"
    assert seen["killed_leaders"] >= 1
    assert seen["dead_shown"] == KILLS, "each killed process shows as dead"
    assert rebuild_matches(url), "projections differ from a fresh rebuild"


def test_a_killed_leader_is_replaced_within_seconds(postgres_url: str, tmp_path: Path) -> None:
    url = migrated(postgres_url)
    engine = make_engine(url)
    took = []
    with (tmp_path / "services.log").open("w") as log:
        processes = [start(url, log) for _ in range(PROCESSES)]
        try:
            wait_for(lambda: leader_pid(engine) is not None, 30)
            for _ in range(3):
                # Every process is up and holds its run's lock before the leader dies.
                wait_for(lambda: len(presence(engine).alive) == PROCESSES, 30)
                victim = the_leader(engine, processes)
                old = victim.pid
                victim.send_signal(signal.SIGKILL)
                victim.wait(timeout=30)
                took.append(
                    wait_for(lambda o=old: leader_pid(engine) not in (None, o), 30, every=0.05)
                )
                status = app_status(url)
                assert status["leader"]["pid"] == leader_pid(engine)
                assert {p["pid"]: p["state"] for p in status["processes"]}[old] == "dead"
                processes[processes.index(victim)] = start(url, log)
            all_up(engine)
        finally:
            codes = stop_all(processes)
    engine.dispose()
    assert codes == [0] * PROCESSES
    print(f"leader replaced after {', '.join(f'{t:.2f}' for t in took)} s")
    assert max(took) < 10, took  # the followers try the lock every second


def test_a_leader_killed_while_sending_alerts_loses_none(postgres_url: str, tmp_path: Path) -> None:
    url = migrated(postgres_url)
    with Receiver(delay=0.3) as receiver:
        conf = config(tmp_path / "config", receiver)
        tracker = make_tracker(url, config_dir=conf, environ={})
        try:
            app.seed(tracker)
            for n in range(8):
                when = datetime(2026, 1, 7, tzinfo=UTC) + timedelta(days=n)
                assert_event(tracker, fact(MOSCOW_KEY, n % 2 == 0, when), f"k{n}")
        finally:
            tracker.close()
        expected = 8 * 2  # two channels want each change
        engine = make_engine(url)
        env = {**ALERT_ENV, "TRACKER_CONFIG": str(conf)}
        kills = 0
        with (tmp_path / "services.log").open("w") as log:
            processes = [start(url, log, env) for _ in range(PROCESSES)]
            try:
                for _ in range(3):
                    before = len(receiver.received)
                    wait_for(lambda b=before: len(receiver.received) > b, 60, every=0.05)
                    # A request the last leader had in flight may be what arrived.
                    victim = the_leader(engine, processes)
                    victim.send_signal(signal.SIGKILL)
                    victim.wait(timeout=30)
                    kills += 1
                    processes[processes.index(victim)] = start(url, log, env)
                wait_for(
                    lambda: (
                        len({r.headers["x-tracker-alert-id"] + r.path for r in receiver.received})
                        == expected
                    ),
                    90,
                )
                time.sleep(2)  # nothing more arrives
                all_up(engine)
            finally:
                codes = stop_all(processes)
        engine.dispose()
        pending = json.loads(
            run(
                "--db", url, "--config", str(conf), "alerts", "list", "--json", env=ALERT_ENV
            ).stdout
        )
    assert codes == [0] * PROCESSES
    assert all(c["pending"] == 0 for c in pending["channels"])
    sent = [(r.path, r.headers["x-tracker-alert-id"]) for r in receiver.received]
    assert len(set(sent)) == expected  # none lost
    assert len(sent) - expected <= kills  # each kill can repeat at most the one in flight


def test_a_second_service_on_sqlite_is_refused_naming_postgresql(
    sqlite_url: str, tmp_path: Path
) -> None:
    url = migrated(sqlite_url)
    with (tmp_path / "service.log").open("w") as log:
        first = start(url, log)
        try:
            wait_for(lambda: app_status(url)["state"] == "running", 30)
            second = run("--db", url, "run", env=ENV)
        finally:
            codes = stop_all([first])
    assert codes == [0]
    assert second.returncode == 1
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and "already running" in lines[0] and "PostgreSQL" in lines[0]
