"""Feeds over a real HTTP server on 127.0.0.1: every shared file, and hostile servers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import feedparser
import pytest
import sqlalchemy as sa
from support.feedserver import FEEDS, FeedServer, black_hole, closed_port_url, rss
from support.trackers import make_tracker

from tracker import app
from tracker.app import Tracker
from tracker.domain.feeds import normalise_link
from tracker.errors import InputError
from tracker.ingest.parse import parse_feed
from tracker.store.schema import documents, events

SHARED_FILES = sorted(p.name for p in FEEDS.iterdir() if p.name != "MANIFEST.txt")
FAST = {
    "connect_timeout": 1.0,
    "read_timeout": 1.0,
    "total_timeout": 3.0,
    "allow_private_networks": True,
    "max_bytes": 2 * 1024 * 1024,
}


@pytest.fixture
def tracker(migrated_url: str) -> Iterator[Tracker]:
    built = make_tracker(migrated_url, fetch=FAST)
    yield built
    built.close()


def stored_documents(tracker: Tracker) -> list[dict[str, object]]:
    with tracker.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.select(documents))]


def test_every_shared_feed_file_is_ingested_with_its_entries_counted(
    tracker: Tracker, server: FeedServer
) -> None:
    for name in SHARED_FILES:
        app.add_feed(tracker, server.url(f"/feeds/{name}"), name=name)
    results = {r["feed"]: r for r in app.poll(tracker)}
    assert set(results) == set(SHARED_FILES)
    for name in SHARED_FILES:
        parsed = feedparser.parse(
            (FEEDS / name).read_bytes(), response_headers={"content-type": "application/xml"}
        )
        result = results[name]
        keepable = [
            e
            for e in parsed.entries
            if e.get("title") or e.get("link") or e.get("summary") or e.get("content")
        ]
        if result["outcome"] == "error":
            # Only the ill-formed synthetic files may fail, and only with a recorded reason.
            assert name.startswith("adv-") and not keepable, result
            assert result["error"]
        else:
            assert result["outcome"] == "ok"
            assert result["new"] == result["entries"] == len(keepable), name
    docs = stored_documents(tracker)
    assert len(docs) == sum(r["new"] for r in results.values()) > 500
    titles = " ".join(str(d["title"]) for d in docs)
    assert "Ã" not in titles  # no UTF-8 read as Latin-1
    assert any("\u0400" <= ch <= "\u04ff" for ch in titles)  # windows-1251 Cyrillic decoded
    assert any(ch in titles for ch in "äöüß")  # ISO-8859-1 German decoded
    # Polling again appends nothing: 304 Not Modified, or entries unchanged.
    before = tracker.log.last_position()
    again = app.poll(tracker)
    assert tracker.log.last_position() == before
    assert {r["outcome"] for r in again if r["feed"].startswith("news-")} == {"not_modified"}


def test_content_a_feed_carries_twice_is_read_once() -> None:
    # NDTV's feed carries each story's text as its description and again as
    # content:encoded; feedparser hands both over as content parts.
    body = (Path(__file__).parents[1] / "bench/data/feeds/news-ndtv-2026-02-17.xml").read_bytes()
    entry = parse_feed(body, {"content-type": "application/xml"}).entries[0]
    said = "Rights advocates and multiple Democrats on Tuesday condemned"
    assert len(feedparser.parse(body).entries[0].content) == 2
    assert entry.content.count(said) == 1
    # parts that differ are both kept, in order
    two = (
        b'<?xml version="1.0"?><rss version="2.0" '
        b'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>'
        b"<item><title>a</title><content:encoded>First part.</content:encoded>"
        b"<content:encoded>Second part.</content:encoded></item></channel></rss>"
    )
    parts = parse_feed(two, {"content-type": "application/xml"}).entries[0].content
    assert parts.index("First part.") < parts.index("Second part.")


def test_reused_guids_and_tracking_links_neither_merge_nor_duplicate(
    tracker: Tracker, server: FeedServer
) -> None:
    server.mutable["quirks"] = rss(
        [
            {"guid": "1", "title": "First story", "link": "http://example.invalid/a"},
            {"guid": "1", "title": "Second story, same GUID", "link": "http://example.invalid/b"},
            {"title": "No GUID", "link": "http://example.invalid/c?utm_source=rss&id=3"},
        ]
    )
    app.add_feed(tracker, server.url("/mutable/quirks"), name="quirks")
    assert app.poll(tracker)[0]["new"] == 3
    server.mutable["quirks"] = rss(
        [
            {"guid": "1", "title": "First story", "link": "http://example.invalid/a"},
            {"guid": "1", "title": "Second story, same GUID", "link": "http://example.invalid/b"},
            {"title": "No GUID", "link": "http://example.invalid/c?id=3&utm_medium=feed"},
        ]
    )
    again = app.poll(tracker)[0]
    assert again["new"] == 0 and again["revised"] == 0
    assert len(stored_documents(tracker)) == 3


def test_normalised_links_drop_tracking_and_fragments() -> None:
    assert (
        normalise_link("HTTPS://Example.com:443/a?utm_source=x&b=2&a=1#top")
        == "https://example.com/a?a=1&b=2"
    )


def test_a_changed_entry_is_a_revision_not_a_new_document(
    tracker: Tracker, server: FeedServer
) -> None:
    item = {
        "guid": "story-1",
        "title": "Kremlin silent on Paris",
        "link": "http://x.invalid/1",
        "description": "No comment yet.",
    }
    server.mutable["rev"] = rss([item])
    app.add_feed(tracker, server.url("/mutable/rev"), name="rev")
    assert app.poll(tracker)[0]["new"] == 1
    server.mutable["rev"] = rss([{**item, "title": "Kremlin responds to Paris meeting"}])
    assert app.poll(tracker)[0]["revised"] == 1
    (doc,) = stored_documents(tracker)
    assert doc["title"] == "Kremlin responds to Paris meeting" and doc["revisions"] == 1
    revised = tracker.log.read_after(0, types=["DocumentRevised"])
    assert [e.data["changes"] for e in revised] == [{"title": "Kremlin responds to Paris meeting"}]
    server.mutable["rev"] = rss([{**item, "title": "Kremlin responds to Paris meeting"}])
    assert app.poll(tracker)[0]["revised"] == 0


HOSTILE = {
    "not found": ("/status/404", "HTTP 404"),
    "server error": ("/status/500", "HTTP 500"),
    "redirect loop": ("/redirect-loop", "redirects"),
    "html page": ("/html", "not a"),
    "body over the cap": ("/big", "byte cap"),
    "gzip bomb": ("/gzip-bomb", "byte cap (decompressed)"),
    "trickling server": ("/trickle", "longer than"),
    "read timeout": ("/slow", "read timeout"),
}


def test_hostile_servers_are_recorded_and_do_not_stop_other_feeds(
    tracker: Tracker, server: FeedServer
) -> None:
    good = "/feeds/news-abc-international-2026-02-17.xml"
    app.add_feed(tracker, server.url(good), name="good")
    for name, (path, _) in HOSTILE.items():
        app.add_feed(tracker, server.url(path), name=name)
    app.add_feed(tracker, server.url("/entity-bomb"), name="entity bomb")
    app.add_feed(tracker, closed_port_url(), name="unreachable")
    with black_hole() as hole:
        app.add_feed(tracker, hole, name="connect timeout")
        results = {r["feed"]: r for r in app.poll(tracker)}
    assert results["good"]["outcome"] == "ok" and results["good"]["new"] == 25
    for name, (_, expected) in HOSTILE.items():
        assert results[name]["outcome"] == "error", name
        assert expected in results[name]["error"], (name, results[name]["error"])
    # The entity bomb is not expanded: the strict parser refuses it, the loose one keeps it
    # inert (its title stays the literal reference, well under the length checked below).
    bomb = results["entity bomb"]
    assert bomb["outcome"] == "ok" and "undefined entity" in bomb["warning"]
    assert all(len(str(d["title"])) < 200 for d in stored_documents(tracker))
    assert "ConnectError" in results["unreachable"]["error"]
    assert "connect timeout" in results["connect timeout"]["error"]
    listed = {f["name"]: f for f in app.list_feeds(tracker)}
    assert listed["server error"]["consecutive_failures"] == 1
    assert listed["server error"]["last_error"] == "HTTP 500 Internal Server Error"
    assert listed["good"]["last_success_at"] and listed["good"]["last_error"] is None


def test_gone_feeds_stop_and_failures_back_off(tracker: Tracker, server: FeedServer) -> None:
    app.add_feed(tracker, server.url("/status/410"), name="gone")
    app.add_feed(tracker, server.url("/status/500"), name="broken", every="10m")
    app.add_feed(tracker, server.url("/status/429"), name="limited", every="10m")
    app.poll(tracker)
    listed = {f["name"]: f for f in app.list_feeds(tracker)}
    assert listed["gone"]["state"] == "gone" and listed["gone"]["next_due_at"] is None
    hits = server.hits.get("/status/410", 0)
    app.poll(tracker)
    assert server.hits.get("/status/410", 0) == hits  # never polled again
    broken = tracker.feeds.get("broken")
    assert broken is not None and broken.consecutive_failures == 2
    assert broken.next_due_at - tracker.clock() > timedelta(minutes=39)  # 10m * 2**2
    limited = tracker.feeds.get("limited")
    assert limited is not None  # Retry-After: 7200 beats the doubled interval
    assert limited.next_due_at - tracker.clock() > timedelta(minutes=119)


def test_private_addresses_are_refused_unless_allowed(
    migrated_url: str, server: FeedServer
) -> None:
    strict = make_tracker(migrated_url, fetch={**FAST, "allow_private_networks": False})
    try:
        server.mutable["private"] = rss([{"title": "local", "link": "http://x.invalid/p"}])
        app.add_feed(strict, server.url("/mutable/private"), name="local")
        (result,) = app.poll(strict)
        assert result["outcome"] == "error" and "private or local address" in result["error"]
        assert server.hits.get("/mutable/private", 0) == 0  # refused before any request
    finally:
        strict.close()


@pytest.mark.parametrize(
    "url",
    [
        "not a url",
        "ftp://example.com/feed",
        "http://",
        "http://[::1",
        "http://example.com/" + "a" * 2100,
    ],
)
def test_an_invalid_feed_url_is_refused_when_added(tracker: Tracker, url: str) -> None:
    from tracker.errors import InputError

    with pytest.raises(InputError, match="invalid URL"):
        app.add_feed(tracker, url)


def test_a_feed_name_too_long_to_store_is_refused_and_nothing_is_added(tracker: Tracker) -> None:
    with pytest.raises(InputError, match="over 200 characters"):
        app.add_feed(tracker, "http://example.com/feed", name="n" * 201)
    assert app.list_feeds(tracker) == []


def test_a_permanent_redirect_moves_the_feed_and_its_entries_stay_the_same(
    tracker: Tracker, server: FeedServer
) -> None:
    first = {"guid": "m-1", "title": "One", "link": "http://x.invalid/m1"}
    server.mutable["moving"] = rss([first])
    added = server.url("/moved/301/moved/308/mutable/moving")
    app.add_feed(tracker, added, name="moving")
    (result,) = app.poll(tracker)
    assert result["new"] == 1 and result["moved_to"] == server.url("/mutable/moving")
    (feed,) = app.list_feeds(tracker)
    assert feed["url"] == server.url("/mutable/moving") and feed["added_url"] == added
    asked_old = server.hits["/moved/301/moved/308/mutable/moving"]
    server.mutable["moving"] = rss([first, {"guid": "m-2", "title": "Two"}])
    (result,) = app.poll(tracker)
    assert result["new"] == 1 and result["moved_to"] is None  # the GUID kept its identity
    assert server.hits["/moved/301/moved/308/mutable/moving"] == asked_old  # asked the new one
    assert len(stored_documents(tracker)) == 2
    with pytest.raises(InputError, match="already following"):
        app.add_feed(tracker, added)


def test_a_temporary_hop_anywhere_keeps_the_feed_where_it_was(
    tracker: Tracker, server: FeedServer
) -> None:
    server.mutable["hop"] = rss([{"guid": "h-1", "title": "One"}])
    added = server.url("/moved/301/moved/302/mutable/hop")
    app.add_feed(tracker, added, name="hop")
    (result,) = app.poll(tracker)
    assert result["new"] == 1 and result["moved_to"] is None
    assert app.list_feeds(tracker)[0]["url"] == added


def test_a_move_onto_an_address_another_feed_follows_is_not_made(
    tracker: Tracker, server: FeedServer
) -> None:
    server.mutable["taken"] = rss([{"guid": "t-1", "title": "One"}])
    app.add_feed(tracker, server.url("/mutable/taken"), name="first")
    app.add_feed(tracker, server.url("/moved/301/mutable/taken"), name="second")
    results = {r["feed"]: r for r in app.poll(tracker)}
    assert results["second"]["moved_to"] is None
    assert "feed 'first' follows" in results["second"]["warning"]
    urls = {f["name"]: f["url"] for f in app.list_feeds(tracker)}
    assert urls["second"] == server.url("/moved/301/mutable/taken")


def test_a_move_to_an_address_too_long_to_store_is_not_made_and_the_poll_still_lands(
    tracker: Tracker, server: FeedServer
) -> None:
    far = "far?pad=" + "a" * 2100
    server.mutable[far] = rss([{"guid": "l-1", "title": "One"}])
    server.moved["/go-far"] = f"/mutable/{far}"
    app.add_feed(tracker, server.url("/go-far"), name="far")
    (result,) = app.poll(tracker)
    assert result["new"] == 1 and result["moved_to"] is None
    assert "over 2048 characters" in result["warning"]
    assert app.list_feeds(tracker)[0]["url"] == server.url("/go-far")


def test_feeds_declared_in_config_are_followed(
    migrated_url: str, server: FeedServer, tmp_path: object
) -> None:
    from pathlib import Path

    directory = Path(str(tmp_path))
    (directory / "feeds.toml").write_text(
        f'[[feeds]]\nname = "cbs"\nurl = "{server.url("/feeds/news-cbs-world-2026-02-17.xml")}"\n'
        'every = "30m"\n'
    )
    built = make_tracker(migrated_url, fetch=FAST, config_dir=directory)
    try:
        (feed,) = app.list_feeds(built)
        assert feed["name"] == "cbs" and feed["every_seconds"] == 1800
        assert feed["origin"] == "config"
        assert app.poll(built)[0]["new"] == 30
    finally:
        built.close()


def test_a_declared_feed_that_moved_stays_the_declared_one(
    migrated_url: str, server: FeedServer, tmp_path: Path
) -> None:
    declared = server.url("/moved/308/feeds/news-cbs-world-2026-02-17.xml")
    (tmp_path / "feeds.toml").write_text(f'[[feeds]]\nname = "cbs"\nurl = "{declared}"\n')
    built = make_tracker(migrated_url, fetch=FAST, config_dir=tmp_path)
    try:
        assert app.poll(built)[0]["new"] == 30
        (feed,) = app.list_feeds(built)  # neither re-added at the old address nor dropped
        assert (
            feed["name"] == "cbs" and feed["origin"] == "config" and feed["added_url"] == declared
        )
        assert feed["url"] == server.url("/feeds/news-cbs-world-2026-02-17.xml")
        assert app.poll(built)[0]["new"] == 0
    finally:
        built.close()


def test_poll_output_and_feed_commands_through_the_cli(sqlite_url: str, server: FeedServer) -> None:
    from support.cli import run

    env = {"TRACKER_FETCH_ALLOW_PRIVATE_NETWORKS": "1"}
    feed = server.url("/feeds/news-cbs-world-2026-02-17.xml")
    assert run("--db", sqlite_url, "feeds", "add", feed, "--name", "cbs", env=env).returncode == 0
    duplicate = run("--db", sqlite_url, "feeds", "add", feed, env=env)
    assert duplicate.returncode == 2 and "already following" in duplicate.stderr
    bad_every = run("--db", sqlite_url, "feeds", "add", server.url("/x"), "--every", "soon")
    assert bad_every.returncode == 2 and "--every" in bad_every.stderr
    polled = json.loads(run("--db", sqlite_url, "poll", "--json", env=env).stdout)
    assert polled[0]["new"] == 30
    listed = json.loads(run("--db", sqlite_url, "feeds", "list", "--json").stdout)
    assert listed[0]["last_success_at"] is not None
    both = run("--db", sqlite_url, "poll", "--feed", "cbs", "--all")
    assert both.returncode == 2
    missing = run("--db", sqlite_url, "feeds", "remove", "nope")
    assert missing.returncode == 2 and "no feed" in missing.stderr
    assert run("--db", sqlite_url, "feeds", "remove", "cbs").returncode == 0
    with sa.create_engine(sqlite_url).connect() as conn:
        ingested = sa.select(sa.func.count()).where(events.c.type == "DocumentIngested")
        assert conn.execute(ingested).scalar() == 30
    moving = server.url("/moved/308/feeds/news-cbs-world-2026-02-17.xml")
    assert run("--db", sqlite_url, "feeds", "add", moving, "--name", "moving").returncode == 0
    moved = run("--db", sqlite_url, "poll", env=env)
    assert f"moved permanently to {feed}" in moved.stdout
    assert f"moved permanently from {moving}" in run("--db", sqlite_url, "feeds", "list").stdout
