"""Feed ingestion: entries per second from bytes to stored events, beside feedparser alone.

Run: .venv/bin/python bench/feeds_ingest.py [--rounds 5]

Uses every news-* file in ../shared/feeds. "feedparser alone" parses the same bytes;
"tracker" parses them and stores every entry as a DocumentIngested event in a fresh
SQLite database each round, with extraction off (the ratio's target) and then on (what
the service does). Then the cost of polling a feed that answers 304 Not Modified, over
real HTTP on 127.0.0.1, beside a bare conditional GET.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from feedserver import FEEDS, FeedServer

from tracker import app
from tracker.bootstrap import bootstrap
from tracker.config import load_settings, shipped_config_dir
from tracker.domain.events import DocumentIngested
from tracker.ingest.fetch import FetchResult

HEADERS = {"content-type": "application/xml"}


def make(url: str, *, extract: bool = False) -> app.Tracker:
    settings = load_settings(
        config_dir=shipped_config_dir(),
        environ={},
        overrides={
            "database": {"url": url},
            "fetch": {"allow_private_networks": True},
            "extract": {"enabled": extract},
        },
    )
    return bootstrap(settings=settings)


def store_all(url: str, files: dict[str, bytes], *, extract: bool) -> tuple[float, int]:
    """Seconds to store every file's entries in a fresh database, and how many were new."""
    tracker = make(url, extract=extract)
    for name in files:
        app.add_feed(tracker, f"http://feeds.invalid/{name}", name=name)
    rows = {f.name: f for f in tracker.feeds.all()}
    if extract:
        tracker.extractor.extract(  # the model loads on first use: not part of the timing
            DocumentIngested(
                doc_id="w",
                identity="w",
                source="file",
                title="Warm-up",
                content="Peskov said so.",
                content_hash="w",
                published_at=datetime.now(UTC),
            )
        )
    start = time.perf_counter()
    stored = 0
    for name, body in files.items():
        fetched = FetchResult("ok", 200, body, headers=HEADERS)
        stored += app.store_fetched(tracker, rows[name], fetched, started=datetime.now(UTC))["new"]
    elapsed = time.perf_counter() - start
    tracker.close()
    return elapsed, stored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    files = {p.name: p.read_bytes() for p in sorted(FEEDS.glob("news-*"))}

    parse_s: list[float] = []
    store_s: list[float] = []
    extract_s: list[float] = []
    stored_entries = 0
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as scratch:
        for round_no in range(args.rounds):
            start = time.perf_counter()
            entries = sum(
                len(feedparser.parse(body, response_headers=HEADERS).entries)
                for body in files.values()
            )
            parse_s.append(time.perf_counter() - start)

            seconds, stored_entries = store_all(
                f"sqlite:///{Path(scratch) / f'round{round_no}.db'}", files, extract=False
            )
            store_s.append(seconds)
            seconds, _ = store_all(
                f"sqlite:///{Path(scratch) / f'extract{round_no}.db'}", files, extract=True
            )
            extract_s.append(seconds)

        server = FeedServer().start()
        try:
            url = server.url("/feeds/news-cbs-world-2026-02-17.xml")
            tracker = make(f"sqlite:///{Path(scratch) / 'poll.db'}")
            app.add_feed(tracker, url, name="cbs")
            app.poll(tracker)
            poll_ms = []
            for _ in range(50):
                feed = tracker.feeds.get("cbs")
                assert feed is not None
                start = time.perf_counter()
                result = app.poll_feed(tracker, feed)
                poll_ms.append((time.perf_counter() - start) * 1000)
                assert result["outcome"] == "not_modified"
            etag = tracker.feeds.get("cbs").etag  # type: ignore[union-attr]
            bare_ms = []
            with httpx.Client() as client:
                for _ in range(50):
                    start = time.perf_counter()
                    response = client.get(url, headers={"If-None-Match": etag or ""})
                    bare_ms.append((time.perf_counter() - start) * 1000)
                    assert response.status_code == 304
            tracker.close()
        finally:
            server.stop()

    parse, store = statistics.median(parse_s), statistics.median(store_s)
    print(f"{len(files)} news feeds, {entries} entries, median of {args.rounds} rounds")
    print(f"feedparser alone:            {entries / parse:8,.0f} entries/s ({parse * 1000:.0f} ms)")
    print(
        f"tracker, bytes -> events:    {stored_entries / store:8,.0f} entries/s "
        f"({store * 1000:.0f} ms, {stored_entries} stored)"
    )
    print(f"ratio tracker / feedparser:  {store / parse:.2f}  (target <= 2.0)")
    extracted = statistics.median(extract_s)
    print(
        f"tracker with extraction:     {stored_entries / extracted:8,.0f} entries/s "
        f"({extracted * 1000:.0f} ms; what the service does per poll)"
    )
    print(
        f"poll answered 304:           {statistics.median(poll_ms):.2f} ms median "
        f"(fetch + record the poll), bare conditional GET {statistics.median(bare_ms):.2f} ms"
    )


if __name__ == "__main__":
    main()
