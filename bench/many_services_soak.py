"""Soak of many services: three `tracker run` processes on one PostgreSQL database, 200
feeds on 127.0.0.1 (plain, slow, failing, growing), a process SIGKILLed every 2-4 s (every
third kill the leader) and restarted, 20 times; then the checks the test makes, printed.

Run: .venv/bin/python bench/many_services_soak.py [--feeds 200] [--kills 20]
Starts a throwaway PostgreSQL cluster (tests/pg_cluster.py). Exit status 1 if a check fails.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import psycopg
from conftest import migrated
from feedserver import FeedServer
from pg_cluster import Cluster
from test_many_services import PER_HOST, rebuild_matches, shared_work


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--kills", type=int, default=20)
    args = parser.parse_args()
    cluster = Cluster(durable=False)
    server = FeedServer().start()
    began = time.monotonic()
    try:
        with psycopg.connect(cluster.url, autocommit=True) as conn:
            conn.execute('CREATE DATABASE "soak"')
        url = migrated(cluster.url.rsplit("/", 1)[0] + "/soak")
        with tempfile.TemporaryDirectory() as tmp:
            seen = shared_work(
                url, server, Path(tmp), feeds_n=args.feeds, kills=args.kills, settle_seconds=300
            )
        rebuilt = rebuild_matches(url)
    finally:
        server.stop()
        cluster.stop()
    checks = {
        "every entry stored exactly once": seen["ingested"] == seen["streams"] == seen["expected"],
        "no stream has a gap or a duplicate version": seen["gaps"] == 0,
        "every growing feed's latest revision current": seen["latest_revisions"] == seen["growing"],
        "no feed polled by two processes at once": seen["overlapping_polls"] == 0,
        "no feed's server saw two requests at once": seen["overlapping_requests"] == 0,
        f"at most {PER_HOST} polls of the host at once": seen["most_polls_at_once"] <= PER_HOST,
        "each killed process shows as dead": seen["dead_shown"] == args.kills,
        "projections equal a fresh rebuild": rebuilt,
    }
    print(
        f"{args.feeds} feeds, {args.kills} kills ({seen['killed_leaders']} of the leader), "
        f"{seen['polls']} polls recorded, {seen['requests']} requests served, "
        f"{seen['ingested']} of {seen['expected']} entries stored, settled "
        f"{seen['settled_seconds']} s after the last kill, {time.monotonic() - began:.0f} s in all"
    )
    for name, held in checks.items():
        print(f"  {'ok  ' if held else 'FAIL'} {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
