"""Many services: polls per second of 1,000 local feeds (95% answering 304 Not Modified)
with 1, 2 and 4 `tracker run` processes on one PostgreSQL database, beside one service of
the design before (a job per feed, one process per database) measured in the same run.

Run: .venv/bin/python bench/many_services.py [--feeds 1000] [--baseline-ref b7f39b2]

Starts a throwaway PostgreSQL cluster (tests/pg_cluster.py, fsync on) and a feed server on
127.0.0.1. Each run gets a fresh database whose feeds are all due once (the next poll an
hour away); the rate is the feeds polled over the time from the first poll's start to the
last one's end, read from the poll records (process start-up is not counted). Extraction
is off: this measures claiming, fetching and recording, not the language model. The
earlier design runs from ``git archive`` of ``--baseline-ref`` (the last commit before many
services), on a database migrated by its own code.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import psycopg
from feedserver import FeedServer, rss
from pg_cluster import Cluster

ROOT = Path(__file__).resolve().parents[1]

CHANGED_EVERY = 20  # one feed in 20 has news (200, three entries); the rest answer 304
ENV = {
    "TRACKER_FETCH_ALLOW_PRIVATE_NETWORKS": "1",
    "TRACKER_EXTRACT_ENABLED": "0",
    "TRACKER_SERVICE_JITTER_SECONDS": "0",
    "TRACKER_SERVICE_WORKERS": "8",
    "TRACKER_SERVICE_PER_HOST": "1000",  # every feed is on 127.0.0.1
}


def body(n: int) -> bytes:
    return rss(
        [
            {"guid": f"{n}-{i}", "title": f"Feed {n} story {i}", "description": "Body."}
            for i in range(3)
        ]
    )


def etag(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:16] + '"'  # as FeedServer computes it


def create_database(admin: str, name: str) -> str:
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin.rsplit("/", 1)[0] + f"/{name}"


def tracker_cmd(src: Path, url: str, *args: str) -> tuple[list[str], dict[str, str]]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env = {**base, **ENV, "PYTHONPATH": str(src)}
    return [sys.executable, "-m", "tracker", "--db", url, *args], env


def prepare(src: Path, url: str, server: FeedServer, feeds: int, *, with_host: bool) -> None:
    cmd, env = tracker_cmd(src, url, "db", "upgrade")
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    now = datetime.now(UTC) - timedelta(seconds=1)
    rows = []
    for n in range(feeds):
        server.mutable[f"b{n}"] = body(n)
        known = None if n % CHANGED_EVERY == 0 else etag(body(n))
        row = {
            "name": f"feed-{n}",
            "url": server.url(f"/mutable/b{n}"),
            "etag": known,
            "now": now,
        }
        rows.append(row)
    columns = "name, url, added_url, every_seconds, origin, active, etag, next_due_at, "
    columns += "consecutive_failures, created_at" + (", host" if with_host else "")
    values = "%(name)s, %(url)s, %(url)s, 3600, 'cli', true, %(etag)s, %(now)s, 0, %(now)s"
    values += ", '127.0.0.1'" if with_host else ""
    with psycopg.connect(url) as conn:
        conn.cursor().executemany(f"INSERT INTO feeds ({columns}) VALUES ({values})", rows)


def measure(src: Path, url: str, processes: int, feeds: int) -> tuple[float, float]:
    """(polls per second, seconds) for ``processes`` services polling every feed once."""
    cmd, env = tracker_cmd(src, url, "run")
    running = [
        subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(processes)
    ]
    try:
        deadline = time.monotonic() + 600
        with psycopg.connect(url, autocommit=True) as conn:
            while time.monotonic() < deadline:
                polled = conn.execute("SELECT count(*) FROM feed_polls").fetchone()
                if polled and polled[0] >= feeds:
                    break
                time.sleep(0.2)
            row = conn.execute(
                "SELECT count(*), extract(epoch FROM max(finished_at) - min(started_at)), "
                "count(*) FILTER (WHERE outcome = 'not_modified') FROM feed_polls"
            ).fetchone()
    finally:
        for process in running:
            process.send_signal(signal.SIGTERM)
        for process in running:
            process.wait(timeout=120)
    assert row is not None
    count, seconds, not_modified = int(row[0]), float(row[1]), int(row[2])
    if count != feeds:
        raise SystemExit(f"{count} polls recorded for {feeds} feeds")
    assert not_modified == feeds - len(range(0, feeds, CHANGED_EVERY)), not_modified
    return count / seconds, seconds


def baseline_source(ref: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", ref, "src", "alembic"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--baseline-ref", default="b7f39b2")
    args = parser.parse_args()
    cluster = Cluster(durable=True)
    server = FeedServer().start()
    results: dict[str, tuple[float, float]] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            old = baseline_source(args.baseline_ref, Path(tmp))
            url = create_database(cluster.url, "before")
            prepare(old, url, server, args.feeds, with_host=False)
            results["one service, design before (job per feed)"] = measure(old, url, 1, args.feeds)
        for n in (1, 2, 4):
            url = create_database(cluster.url, f"many{n}")
            prepare(ROOT / "src", url, server, args.feeds, with_host=True)
            results[f"{n} process{'es' if n > 1 else ''}, claims"] = measure(
                ROOT / "src", url, n, args.feeds
            )
    finally:
        server.stop()
        cluster.stop()
    print(
        f"{args.feeds} feeds ({args.feeds - len(range(0, args.feeds, CHANGED_EVERY))} answer "
        f"304), 8 workers a process, PostgreSQL fsync on, {os.cpu_count()} cores"
    )
    one = results["1 process, claims"][0]
    for name, (rate, seconds) in results.items():
        print(f"  {name:45} {rate:8.1f} polls/s  ({seconds:.1f} s)  {rate / one:.2f}x one process")


if __name__ == "__main__":
    main()
