"""One hostile feed or file cannot hurt the service: the real CLI and service against a
hostile server on 127.0.0.1, with memory and time measured from outside."""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from support.db import count
from support.hostile_run import measured
from support.hostileserver import HostileServer
from support.service import start_service
from support.trackers import make_tracker
from support.waiting import wait_for

from tracker import app
from tracker.app import Tracker
from tracker.domain.events import DocumentIngested
from tracker.domain.log import NewEvent
from tracker.store.schema import documents

GOOD = "/feeds/news-abc-international-2026-02-17.xml"  # 25 entries
DEADLINE = 5.0
ENV = {
    "TRACKER_FETCH_ALLOW_PRIVATE_NETWORKS": "1",
    "TRACKER_FETCH_TOTAL_TIMEOUT": str(DEADLINE),
    "TRACKER_FETCH_READ_TIMEOUT": "2",
    "TRACKER_FETCH_CONNECT_TIMEOUT": "2",
    "TRACKER_EXTRACT_ENABLED": "0",
}
MEMORY_BOUND_MB = 600


def add(url: str, feeds: dict[str, str]) -> None:
    for name, address in feeds.items():
        added = measured("--db", url, "feeds", "add", address, "--name", name, env=ENV)
        assert added.returncode == 0, added.stderr


def polled(out: str) -> dict[str, dict[str, object]]:
    return {r["feed"]: r for r in json.loads(out)}


def assert_one_line_error(stderr: str) -> None:
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr


def test_compressed_bombs_are_refused_within_the_memory_bound(
    sqlite_url: str, hostile: HostileServer
) -> None:
    add(
        sqlite_url,
        {
            "stacked": hostile.url("/hostile/stacked-gzip"),
            "deflate": hostile.url("/hostile/deflate-bomb"),
            "gzip": hostile.url("/gzip-bomb"),
            "good": hostile.url(GOOD),
        },
    )
    # the limits tested here are of bytes, not time: a loaded machine must not turn a bomb
    # into a read timeout
    roomy = {**ENV, "TRACKER_FETCH_READ_TIMEOUT": "20", "TRACKER_FETCH_TOTAL_TIMEOUT": "60"}
    result = measured("--db", sqlite_url, "poll", "--json", env=roomy, timeout=180)
    assert result.returncode == 1
    assert_one_line_error(result.stderr)
    assert "3 of 4 feeds failed" in result.stderr and "'stacked'" in result.stderr
    rows = polled(result.stdout)
    assert "more than one Content-Encoding" in str(rows["stacked"]["error"])
    assert "byte cap (decompressed)" in str(rows["deflate"]["error"])
    assert "byte cap (decompressed)" in str(rows["gzip"]["error"])
    assert rows["good"]["new"] == 25
    assert result.peak_rss_mb < 200, result.peak_rss_mb  # the cap is 16 MiB
    listed = {f["name"]: f for f in app_list(sqlite_url)}
    assert listed["stacked"]["consecutive_failures"] == 1
    assert listed["good"]["last_error"] is None


def app_list(url: str) -> list[dict[str, object]]:
    listed = measured("--db", url, "feeds", "list", "--json", env=ENV)
    assert listed.returncode == 0, listed.stderr
    rows: list[dict[str, object]] = json.loads(listed.stdout)
    return rows


def test_servers_that_never_finish_are_cut_at_the_whole_fetch_deadline(
    sqlite_url: str, hostile: HostileServer
) -> None:
    slow = {
        "empty blocks": "/hostile/empty-blocks",
        "slow headers": "/hostile/slow-headers",
        "slow hops": "/hostile/slow-hops/5",
        "endless": "/hostile/endless",
    }
    add(sqlite_url, {**{k: hostile.url(v) for k, v in slow.items()}, "good": hostile.url(GOOD)})
    result = measured("--db", sqlite_url, "poll", "--json", env=ENV, timeout=120)
    # Four fetches of at most the deadline each, one after another, and the start-up.
    assert result.seconds < 4 * DEADLINE + 20, result.seconds
    assert result.returncode == 1 and "4 of 5 feeds failed" in result.stderr
    assert_one_line_error(result.stderr)
    rows = polled(result.stdout)
    for name in slow:
        assert f"longer than {DEADLINE:g}s" in str(rows[name]["error"]), rows[name]
        assert int(str(rows[name]["ms"])) < (DEADLINE + 2) * 1000, rows[name]
    assert rows["good"]["new"] == 25


def test_the_service_polls_the_good_feed_beside_hung_ones_and_stops_in_time(
    migrated_url: str, hostile: HostileServer, tmp_path: Path
) -> None:
    feeds = {f"hung {i}": hostile.url(f"/hostile/endless?{i}") for i in range(4)}
    feeds |= {f"blocks {i}": hostile.url(f"/hostile/empty-blocks?{i}") for i in range(2)}
    add(migrated_url, {**feeds, "good": hostile.url(GOOD)})
    log_path = tmp_path / "service.log"
    with log_path.open("w") as log:
        service = start_service(migrated_url, log, env=ENV)
        try:
            wait_for(lambda: count(migrated_url, "SELECT count(*) FROM documents") == 25, 60)
            # Every hung feed's fetch is under way or failed, and the service answers.
            status = json.loads(measured("--db", migrated_url, "status", "--json").stdout)
            assert status["state"] == "running"
            wait_for(lambda: count(migrated_url, "SELECT count(*) FROM feed_polls") >= 6, 60)
            # Stop while fetches hang: within the deadline and a few seconds.
            time.sleep(1)
            stopped_at = time.monotonic()
            service.send_signal(signal.SIGTERM)
            service.wait(timeout=DEADLINE + 30)
            took = time.monotonic() - stopped_at
        finally:
            if service.poll() is None:
                service.kill()
                service.wait()
    assert took < DEADLINE + 10, took
    lines = log_path.read_text().splitlines()
    assert lines and not any("Traceback" in line for line in lines)
    records = [json.loads(line) for line in lines]
    failed = [r for r in records if r["event"] == "poll" and r["outcome"] == "error"]
    assert failed and all(r["level"] == "error" for r in failed)
    assert {r["feed"] for r in failed} <= set(feeds)
    listed = {f["name"]: f for f in app_list(migrated_url)}
    assert listed["good"]["last_error"] is None and listed["good"]["last_success_at"]
    assert any(listed[name]["consecutive_failures"] for name in feeds)


def test_a_huge_entry_is_stored_truncated_and_extraction_sees_only_the_limit(
    sqlite_url: str, hostile: HostileServer
) -> None:
    add(sqlite_url, {"huge": hostile.url("/hostile/huge-entry"), "good": hostile.url(GOOD)})
    env = {**ENV, "TRACKER_EXTRACT_ENABLED": "1", "TRACKER_FETCH_TOTAL_TIMEOUT": "30"}
    result = measured("--db", sqlite_url, "poll", "--json", env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    rows = polled(result.stdout)
    assert rows["huge"]["new"] == 2 and rows["good"]["new"] == 25
    assert result.peak_rss_mb < MEMORY_BOUND_MB, result.peak_rss_mb
    engine = sa.create_engine(sqlite_url)
    with engine.connect() as conn:
        payloads = [
            json.loads(row[0]) if isinstance(row[0], str) else row[0]
            for row in conn.execute(
                sa.text("SELECT data FROM events WHERE type = 'DocumentIngested'")
            )
        ]
    engine.dispose()
    huge = next(p for p in payloads if p["title"] == "A very long entry")
    assert len(huge["title"]) + len(huge["summary"]) <= 256 * 1024  # the content repeats it
    assert huge["truncated_chars"] > 1_200_000 - 256 * 1024 - 1
    assert all(p["truncated_chars"] == 0 for p in payloads if p is not huge)


def test_a_document_event_without_the_truncation_field_still_decodes() -> None:
    from tracker.domain.events import from_data

    old = {
        "doc_id": "d",
        "identity": "i",
        "source": "feed",
        "title": "t",
        "content": "c",
        "content_hash": "h",
        "published_at": "2026-01-06T00:00:00+00:00",
    }
    assert from_data(DocumentIngested, old).truncated_chars == 0


def test_ingest_refuses_devices_fifos_and_giants_and_bounds_standard_input(
    sqlite_url: str, tmp_path: Path
) -> None:
    env = {**ENV, "TRACKER_INGEST_MAX_FILE_BYTES": str(1024 * 1024)}
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    sparse = tmp_path / "sparse"
    with sparse.open("wb") as handle:
        handle.truncate(1024**3)
    for path, expected in (
        ("/dev/zero", "not a regular file"),
        (str(fifo), "not a regular file"),
        (str(tmp_path), "is a directory"),
        ("", "not a regular file"),
        (str(sparse), "over the 1048576 byte limit"),
    ):
        result = measured(
            "--db", sqlite_url, "ingest", path, "--published", "2026-01-06", env=env, timeout=60
        )
        assert result.returncode == 2, (path, result.stderr)
        assert_one_line_error(result.stderr)
        assert expected in result.stderr, result.stderr
        assert result.peak_rss_mb < 200, (path, result.peak_rss_mb)
    flood = measured(
        "--db",
        sqlite_url,
        "ingest",
        "-",
        "--published",
        "2026-01-06",
        env=env,
        stdin=b"x" * (3 * 1024 * 1024),
    )
    assert flood.returncode == 2 and "standard input: over the" in flood.stderr
    assert_one_line_error(flood.stderr)
    article = b"Kremlin silent\nThe Kremlin declined to comment on the Paris meeting.\n"
    piped = measured(
        "--db",
        sqlite_url,
        "ingest",
        "-",
        "--published",
        "2026-01-06",
        "--json",
        env=env,
        stdin=article,
    )
    assert piped.returncode == 0, piped.stderr
    assert json.loads(piped.stdout)["outcome"] == "new"


def test_ingest_of_a_file_over_the_document_limit_stores_it_truncated(
    sqlite_url: str, tmp_path: Path
) -> None:
    sentence = "Moscow said nothing about the summit in Paris on Tuesday. "
    big = tmp_path / "big.txt"
    big.write_text("A long article\n" + sentence * 20_000)  # 1.2 million characters
    env = {**ENV, "TRACKER_EXTRACT_ENABLED": "1"}
    result = measured(
        "--db",
        sqlite_url,
        "ingest",
        str(big),
        "--published",
        "2026-01-06",
        "--json",
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    view = json.loads(result.stdout)
    assert view["outcome"] == "new" and view["truncated_chars"] > 800_000
    assert result.peak_rss_mb < MEMORY_BOUND_MB, result.peak_rss_mb


def test_nul_and_control_characters_are_stored_alike_on_every_backend(
    migrated_url: str, hostile: HostileServer
) -> None:
    tracker = make_tracker(migrated_url, fetch={"allow_private_networks": True})
    try:
        app.add_feed(tracker, hostile.url("/hostile/nasty"), name="nasty")
        app.add_feed(tracker, hostile.url(GOOD), name="good")
        results = {r["feed"]: r for r in app.poll(tracker)}
        assert results["nasty"]["outcome"] == "ok", results["nasty"]
        assert results["good"]["new"] == 25
        assert "not http(s)" in str(results["nasty"]["warning"])
        with tracker.engine.connect() as conn:
            rows = {r.title: r for r in conn.execute(sa.select(documents))}
    finally:
        tracker.close()
    titles = set(rows)
    assert "RawNUL in a title" in titles
    assert "]0;pwnedEscape [31mred" in titles
    for title in titles:
        assert not any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in title), repr(title)
    assert rows["Script link"].url is None and rows["Data link"].url is None
    assert rows["Fine link"].url == "https://example.com/fine"


def test_a_guid_shared_by_two_items_in_swapped_order_neither_flips_nor_duplicates(
    sqlite_url: str, hostile: HostileServer
) -> None:
    tracker = make_tracker(sqlite_url, fetch={"allow_private_networks": True})
    try:
        app.add_feed(tracker, hostile.url("/hostile/dup-guid"), name="dup")
        first = app.poll(tracker)[0]
        again = [app.poll(tracker)[0] for _ in range(3)]
    finally:
        tracker.close()
    assert first["new"] == 3  # two items under one GUID, and one item repeated word for word
    assert all(r["new"] == 0 and r["revised"] == 0 for r in again), again


class ExplodingExtractor:
    """Extraction that fails on one document, as a model or rule bug would."""

    def extract(self, document: DocumentIngested) -> list[NewEvent]:
        if "Script" in document.title:
            raise RuntimeError("the model choked")
        return []

    def extract_many(self, documents: list[DocumentIngested]) -> list[list[NewEvent]]:
        return [self.extract(document) for document in documents]


@pytest.fixture
def exploding(sqlite_url: str) -> Iterator[Tracker]:
    tracker = make_tracker(
        sqlite_url, fetch={"allow_private_networks": True}, extractor=ExplodingExtractor()
    )
    yield tracker
    tracker.close()


def test_an_exception_inside_one_feed_is_recorded_on_it_and_the_others_go_on(
    exploding: Tracker, hostile: HostileServer
) -> None:
    app.add_feed(exploding, hostile.url("/hostile/nasty"), name="nasty")
    app.add_feed(exploding, hostile.url(GOOD), name="good")
    results = {r["feed"]: r for r in app.poll(exploding)}
    assert results["nasty"]["outcome"] == "error"
    assert results["nasty"]["error"] == "RuntimeError: the model choked"
    assert results["good"]["new"] == 25
    nasty = exploding.feeds.get("nasty")
    assert nasty is not None and nasty.consecutive_failures == 1
    assert nasty.last_error == "RuntimeError: the model choked"
    assert nasty.etag is None  # not marked as seen: the next poll fetches it in full
    assert nasty.next_due_at > exploding.clock()


def test_compressed_bodies_decode_in_any_chunking_within_the_room() -> None:
    import gzip
    import zlib

    from tracker.ingest.bodies import BodyTooLarge, Decoder

    text = b"<rss>" + b"news " * 5000 + b"</rss>"
    raw = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    bodies = {
        "gzip": gzip.compress(text[:9000]) + gzip.compress(text[9000:]) + b"\0" * 8,
        "deflate": zlib.compress(text),
        "x-gzip": gzip.compress(text),
    }
    raw_body = raw.compress(text) + raw.flush()
    for encoding, body in [*bodies.items(), ("deflate", raw_body)]:
        for size in (1, 7, 4096):
            decoder = Decoder(encoding)
            out = b"".join(
                piece
                for start in range(0, len(body), size)
                for piece in decoder.feed(body[start : start + size], 10**6)
            )
            assert out == text, (encoding, size)
    with pytest.raises(BodyTooLarge):
        list(Decoder("gzip").feed(gzip.compress(bytes(10**6)), 1000))
    with pytest.raises(ValueError, match="corrupt gzip"):
        list(Decoder("gzip").feed(b"\x1f\x8bnot gzip at all", 1000))
