"""Full text: a feed of one-line summaries, its entries' articles read from a real HTTP server.

The article pages in tests/pages were written for these tests in the shape of real news
pages (a cookie banner, navigation, advertisements, related links, comments, a newsletter
box, a footer and scripts around the story; one in windows-1252 with its charset only in a
meta tag), since no real page may be copied here.
"""

from __future__ import annotations

import itertools
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from support.feedserver import PAGES, FeedServer, rss
from support.trackers import make_tracker

from tracker import app
from tracker.app import Tracker
from tracker.domain.events import DocumentIngested, decode, from_data
from tracker.ingest.articles import HostBusy, HostPacer, main_text
from tracker.ingest.fetch import FetchResult

FAST = {
    "connect_timeout": 1.0,
    "read_timeout": 2.0,
    "total_timeout": 5.0,
    "allow_private_networks": True,
    "max_bytes": 2 * 1024 * 1024,
}
QUICK = {"host_delay_seconds": 0.0, "max_bytes": 1024 * 1024}
KREMLIN_BODY = "Diplomats said the silence was expected."
HUBS_BODY = "a senior defence official said after a meeting at the Élysée"
AROUND_THE_STORY = [
    "Accept all",
    "Subscribe for one pound a week",
    "Refinance your mortgage",
    "Top ten hotels",
    "Related stories",
    "First!",
    "Morning Briefing",
    "Privacy policy",
    "All rights reserved",
    "dataLayer",
    "Doctors hate this",
    "Most read",
    "Company number",
    "Puzzles and crosswords",
]


def summaries_feed(server: FeedServer, links: dict[str, str]) -> bytes:
    """An RSS feed whose items carry one-line summaries and link to ``links``."""
    return rss(
        [
            {
                "guid": f"item-{n}",
                "title": title,
                "link": server.url(path) if path.startswith("/") else path,
                "description": f"{title}: one line only.",
                "pubDate": "Wed, 07 Jan 2026 08:00:00 GMT",
            }
            for n, (title, path) in enumerate(links.items())
        ],
        title="Summaries only",
    )


def ingested(tracker: Tracker) -> dict[str, DocumentIngested]:
    """Each stored document as first ingested, by title."""
    out = {}
    for event in tracker.log.iter_after(0):
        if event.type == "DocumentIngested":
            document = decode(event)
            assert isinstance(document, DocumentIngested)
            out[document.title] = document
    return out


@pytest.fixture
def tracker(migrated_url: str) -> Iterator[Tracker]:
    built = make_tracker(migrated_url, fetch=FAST, articles=QUICK)
    yield built
    built.close()


def test_a_full_text_feed_stores_and_reads_each_articles_main_text(
    tracker: Tracker, server: FeedServer
) -> None:
    server.mutable["full"] = summaries_feed(
        server,
        {
            "Kremlin stays silent": "/pages/kremlin-silent.html",
            "Hubs planned": "/pages/hubs-planned.html",
        },
    )
    app.add_feed(tracker, server.url("/mutable/full"), name="full", full_text=True)
    (result,) = app.poll(tracker, feed_name="full")
    assert (result["outcome"], result["new"]) == ("ok", 2)
    assert result["articles"] == {"read": 2, "not_read": 0} and result["warning"] is None

    documents = ingested(tracker)
    kremlin, hubs = documents["Kremlin stays silent"], documents["Hubs planned"]
    assert KREMLIN_BODY in kremlin.content and HUBS_BODY in hubs.content
    for document in (kremlin, hubs):
        assert document.text_source == "article" and document.article_error is None
        assert document.summary == f"{document.title}: one line only."
        for noise in AROUND_THE_STORY:
            assert noise not in document.content, noise
    assert kremlin.article_url == server.url("/pages/kremlin-silent.html")

    # Extraction read the article: evidence comes from sentences the summary never had.
    sentences = [
        e.data["evidence"]["sentence"]
        for e in tracker.log.iter_after(0)
        if e.type in ("StatementReported", "FactAsserted") and e.data["evidence"].get("sentence")
    ]
    assert sentences and all(
        s in kremlin.content or s in hubs.content or s.startswith(kremlin.title) for s in sentences
    )

    # The next poll finds the entries unchanged and reads no article again.
    hits = dict(server.hits)
    before = tracker.log.last_position()
    app.poll(tracker, feed_name="full")
    assert tracker.log.last_position() == before
    assert {k: v for k, v in server.hits.items() if k.startswith("/pages/")} == {
        k: v for k, v in hits.items() if k.startswith("/pages/")
    }


def test_without_the_option_only_the_feeds_summary_is_stored(
    sqlite_url: str, server: FeedServer
) -> None:
    from support.cli import run

    server.mutable["plain"] = summaries_feed(server, {"Plain": "/pages/kremlin-silent.html"})
    env = {"TRACKER_FETCH_ALLOW_PRIVATE_NETWORKS": "1"}
    feed = server.url("/mutable/plain")
    assert run("--db", sqlite_url, "feeds", "add", feed, "--name", "plain", env=env).returncode == 0
    hits = server.hits.get("/pages/kremlin-silent.html", 0)
    assert run("--db", sqlite_url, "poll", env=env).returncode == 0
    assert server.hits.get("/pages/kremlin-silent.html", 0) == hits
    built = make_tracker(sqlite_url)
    try:
        (document,) = ingested(built).values()
        assert document.content == "Plain: one line only."
        assert (document.text_source, document.article_url) == ("feed", None)
    finally:
        built.close()
    other = server.url("/mutable/other")
    added = run("--db", sqlite_url, "feeds", "add", other, "--full-text", "--tag", "wires")
    assert added.returncode == 0, added.stderr
    listed = run("--db", sqlite_url, "feeds", "list")
    assert "tags: wires; reads linked articles (full text)" in listed.stdout


def test_an_article_that_cannot_be_read_falls_back_to_the_summary_and_is_recorded(
    sqlite_url: str, server: FeedServer
) -> None:
    built = make_tracker(sqlite_url, fetch=FAST, articles={**QUICK, "per_poll": 4})
    try:
        server.mutable["broken"] = summaries_feed(
            server,
            {
                "Missing page": "/status/404",
                "Huge page": "/big",
                "No story in it": "/html",
                "Good page": "/pages/kremlin-silent.html",
                "Over the poll's limit": "/pages/hubs-planned.html",
            },
        )
        app.add_feed(built, server.url("/mutable/broken"), name="broken", full_text=True)
        (result,) = app.poll(built)
        assert (result["outcome"], result["new"]) == ("ok", 5)
        assert result["articles"] == {"read": 1, "not_read": 4}
        assert "4 linked article(s) not read" in result["warning"]
        documents = ingested(built)
        reasons = {
            title: d.article_error for title, d in documents.items() if d.text_source == "feed"
        }
        assert reasons["Missing page"] == "HTTP 404 Not Found"
        assert "byte cap" in str(reasons["Huge page"])
        assert reasons["No story in it"] in (
            "no article text found in the page",
            "the page's main text is no longer than the feed's",
        )
        assert "4 articles already asked for in this poll" in str(reasons["Over the poll's limit"])
        for title in reasons:
            assert documents[title].content == f"{title}: one line only."
            assert documents[title].article_url is not None
        assert documents["Good page"].text_source == "article"
        (poll,) = built.feeds.recent_polls(1)
        assert poll["outcome"] == "ok" and "linked article(s) not read" in poll["error"]
    finally:
        built.close()


def test_an_article_on_a_forbidden_address_is_refused_by_the_address_check(
    sqlite_url: str, server: FeedServer
) -> None:
    strict = make_tracker(
        sqlite_url, fetch={**FAST, "allow_private_networks": False}, articles=QUICK
    )
    try:
        page = server.url("/pages/hubs-planned.html")
        body = summaries_feed(
            server,
            {
                "Loopback": page,
                "With a password": page.replace("http://", "http://user:secret@"),
            },
        )
        app.add_feed(strict, "https://news.example.com/feed.xml", name="remote", full_text=True)
        feed = strict.feeds.get("remote")
        assert feed is not None
        hits = server.hits.get("/pages/hubs-planned.html", 0)
        # The feed itself as if fetched from a public address; its links point home.
        delivered = FetchResult("ok", 200, body, {"content-type": "application/rss+xml"})
        result = app.store_fetched(strict, feed, delivered, started=datetime.now(UTC))
        assert result["new"] == 2 and result["articles"]["read"] == 0
        assert server.hits.get("/pages/hubs-planned.html", 0) == hits
        documents = ingested(strict)
        assert "private or local address" in str(documents["Loopback"].article_error)
        assert "credentials" in str(documents["With a password"].article_error)
        assert {d.text_source for d in documents.values()} == {"feed"}
    finally:
        strict.close()


def test_article_requests_to_one_host_take_turns_with_a_pause_between(
    sqlite_url: str, server: FeedServer
) -> None:
    delay = 0.3
    built = make_tracker(sqlite_url, fetch=FAST, articles={**QUICK, "host_delay_seconds": delay})
    server.page_delay = 0.2
    try:
        for name in ("one", "two"):
            server.mutable[f"turns-{name}"] = summaries_feed(
                server,
                {
                    f"{name} {n}": f"/pages/{page}?{name}{n}"
                    for n, page in enumerate(["kremlin-silent.html", "hubs-planned.html"] * 2)
                },
            )
            app.add_feed(built, server.url(f"/mutable/turns-{name}"), name=name, full_text=True)
        start = len(server.page_requests)
        results: list[dict[str, Any]] = []
        polls = [
            threading.Thread(
                target=lambda f=feed: results.append(app.poll_feed(built, f))  # type: ignore[misc]
            )
            for feed in built.feeds.all()
        ]
        for thread in polls:
            thread.start()
        for thread in polls:
            thread.join(60)
        assert [r["articles"] for r in results] == [{"read": 4, "not_read": 0}] * 2
        requests = sorted(server.page_requests[start:], key=lambda r: r[1])
        assert len(requests) == 8
        for (_, _, ended), (_, began, _) in itertools.pairwise(requests):
            assert began - ended >= delay - 0.05  # one at a time, with the pause between
    finally:
        server.page_delay = 0.0
        built.close()


def test_the_pacer_gives_up_when_no_turn_comes_in_time() -> None:
    pacer = HostPacer(5.0)
    with pacer.turn("example.com", until=time.monotonic() + 1):
        pass
    started = time.monotonic()
    with pytest.raises(HostBusy), pacer.turn("example.com", until=time.monotonic() + 0.2):
        pass
    assert time.monotonic() - started < 1  # refused at once: the pause would pass the end
    with pacer.turn("other.example.com", until=time.monotonic() + 0.2):
        pass  # another host is not held up
    stopping = threading.Event()
    stopping.set()
    with (
        pytest.raises(HostBusy),
        HostPacer(0, stopping=stopping).turn("a.example", until=time.monotonic() + 1),
    ):
        pass


def test_reading_a_page_fetches_nothing_it_points_to() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    here = f"http://127.0.0.1:{listener.getsockname()[1]}"
    page = (PAGES / "kremlin-silent.html").read_bytes()
    page = page.replace(b"/img/elysee.jpg", f"{here}/img.jpg".encode())
    page = page.replace(b"/static/app.js", f"{here}/app.js".encode())
    page = page.replace(b"<head>", f'<head><base href="{here}/">'.encode())
    try:
        text = main_text(page, {"content-type": "text/html"})
        assert text is not None and KREMLIN_BODY in text
        with pytest.raises(BlockingIOError):
            listener.accept()
    finally:
        listener.close()


def test_a_document_stored_before_full_text_reads_as_the_feeds_text(tmp_path: Path) -> None:
    older = {
        "doc_id": "d",
        "identity": "link:http://x.invalid/1",
        "source": "feed",
        "title": "t",
        "content": "c",
        "content_hash": "sha256:0",
        "published_at": "2026-01-06T12:00:00.000000+00:00",
    }
    document = from_data(DocumentIngested, older)
    assert (document.text_source, document.article_url, document.article_error) == (
        "feed",
        None,
        None,
    )


def test_feeds_toml_declares_full_text_and_tags(tmp_path: Path, sqlite_url: str) -> None:
    declared = tmp_path / "feeds.toml"
    declared.write_text(
        '[[feeds]]\nname = "wire"\nurl = "https://example.com/wire.xml"\n'
        'full_text = true\ntags = ["wires", "Europe / France"]\n'
    )
    built = make_tracker(sqlite_url, config_dir=tmp_path)
    try:
        (feed,) = app.list_feeds(built)
        assert (feed["full_text"], feed["tags"]) == (True, ["wires", "Europe/France"])
        declared.write_text('[[feeds]]\nname = "wire"\nurl = "https://example.com/wire.xml"\n')
        (feed,) = app.list_feeds(built)
        assert (feed["full_text"], feed["tags"]) == (False, [])
    finally:
        built.close()
