"""OPML import and export: another reader's subscriptions in, ours out, hostile files refused."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from support.cli import run
from support.trackers import make_tracker, migrated

from tracker import app
from tracker.app import Tracker
from tracker.ingest.opml import MAX_DEPTH, MAX_OPML_BYTES, MAX_OUTLINES, read_opml
from tracker.store.engine import make_engine
from tracker.store.migrations import upgrade

# Shaped like a real reader's export: a wrapping folder, nested folders, categories in
# both spellings (slash paths and plain tags), a feed at the top level, an htmlUrl, a
# folder with no feeds, a link outline that is no feed, and a name that needs escaping.
READER_EXPORT = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head>
    <title>Subscriptions from a reader</title>
    <dateCreated>Mon, 05 Jan 2026 09:00:00 GMT</dateCreated>
  </head>
  <body>
    <outline text="News" title="News">
      <outline text="Europe" title="Europe">
        <outline type="rss" text="BBC News - Europe" title="BBC News - Europe"
          xmlUrl="https://feeds.bbci.co.uk/news/world/europe/rss.xml"
          htmlUrl="https://www.bbc.co.uk/news/world/europe" category="/Politics/EU,ukraine"/>
        <outline type="rss" text="France 24 &amp; Europe"
          xmlUrl="https://www.france24.com/en/europe/rss"/>
      </outline>
      <outline type="rss" text="Kyiv Independent" xmlUrl="https://kyivindependent.com/feed/"
        category="ukraine"/>
    </outline>
    <outline text="Empty folder"/>
    <outline type="link" text="A page, not a feed" url="https://example.com/page"/>
    <outline type="rss" text="Meduza" xmlUrl="https://meduza.io/rss/en/all"/>
  </body>
</opml>
"""

EXPECTED = {
    "BBC News - Europe": ["News/Europe", "Politics/EU", "ukraine"],
    "France 24 & Europe": ["News/Europe"],
    "Kyiv Independent": ["News", "ukraine"],
    "Meduza": [],
}


@pytest.fixture
def tracker(migrated_url: str) -> Iterator[Tracker]:
    built = make_tracker(migrated_url)
    yield built
    built.close()


def _feeds(tracker: Tracker) -> dict[str, dict[str, object]]:
    return {f["name"]: f for f in app.list_feeds(tracker)}


def test_a_reader_export_is_followed_with_folders_and_categories_as_tags(
    tracker: Tracker, tmp_path: Path
) -> None:
    source = tmp_path / "subscriptions.opml"
    source.write_text(READER_EXPORT)
    report = app.import_opml(tracker, source)
    assert [f["name"] for f in report["added"]] == list(EXPECTED)
    assert report["already_present"] == [] and report["refused"] == []
    followed = _feeds(tracker)
    assert {name: f["tags"] for name, f in followed.items()} == EXPECTED
    assert {f["origin"] for f in followed.values()} == {"opml"}
    assert followed["Meduza"]["url"] == "https://meduza.io/rss/en/all"

    again = app.import_opml(tracker, source)
    assert again["added"] == [] and len(again["already_present"]) == 4
    assert len(app.list_feeds(tracker)) == 4


def test_export_then_import_into_a_fresh_database_gives_the_same_feeds(
    tracker: Tracker, tmp_path: Path
) -> None:
    source = tmp_path / "subscriptions.opml"
    source.write_text(READER_EXPORT)
    app.import_opml(tracker, source)
    app.add_feed(
        tracker,
        "https://example.com/summaries.xml",
        name="summaries",
        every="2h",
        tags=("wires", "a, b / c"),
        full_text=True,
    )
    exported = app.export_opml(tracker)
    assert b'xmlUrl="https://feeds.bbci.co.uk/news/world/europe/rss.xml"' in exported
    outlines = read_opml(exported)
    assert {f.name for f in outlines.feeds} == {*EXPECTED, "summaries"}

    path = tmp_path / "exported.opml"
    app.save_export(path, exported)
    fresh = make_tracker(migrated(f"sqlite:///{tmp_path / 'fresh.db'}"))
    try:
        report = app.import_opml(fresh, path)
        assert len(report["added"]) == 5 and report["refused"] == []

        def kept(t: Tracker) -> dict[str, tuple[object, ...]]:
            return {
                name: (f["url"], f["tags"], f["every_seconds"], f["full_text"])
                for name, f in _feeds(t).items()
            }

        assert kept(fresh) == kept(tracker)
        assert kept(fresh)["summaries"] == (
            "https://example.com/summaries.xml",
            ["wires", "a b/c"],
            7200,
            True,
        )
        assert app.export_opml(fresh).split(b"<body>")[1] == exported.split(b"<body>")[1]
    finally:
        fresh.close()


def test_refused_outlines_are_reported_with_their_reason_and_not_added(
    tracker: Tracker, tmp_path: Path
) -> None:
    source = tmp_path / "mixed.opml"
    source.write_text(
        '<opml version="2.0"><head/><body>'
        '<outline text="passwd" xmlUrl="file:///etc/passwd"/>'
        '<outline text="secret" xmlUrl="https://user:hunter2@example.com/feed"/>'
        '<outline text="no host" xmlUrl="http:///feed"/>'
        '<outline text="too often" xmlUrl="https://example.com/a" '
        'xmlns:t="https://example.invalid/tracker/opml" t:every="5s"/>'
        '<outline text="fine" xmlUrl="https://example.com/fine"/>'
        '<outline text="fine again" xmlUrl="https://example.com/fine"/>'
        "</body></opml>"
    )
    report = app.import_opml(tracker, source)
    assert [f["name"] for f in report["added"]] == ["fine"]
    assert [f["name"] for f in report["already_present"]] == ["fine again"]
    reasons = {f["name"]: f["reason"] for f in report["refused"]}
    assert "only http and https" in reasons["passwd"]
    assert "credentials" in reasons["secret"] and "hunter2" not in json.dumps(report)
    assert "no host" in reasons["no host"]
    assert "under a minute" in reasons["too often"]
    assert list(_feeds(tracker)) == ["fine"]


def _hostile_files(tmp_path: Path) -> dict[str, Path]:
    def write(name: str, data: bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    feed = b'<outline text="x" xmlUrl="https://example.com/feed.xml"/>'
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b'<opml version="2.0"><body><outline text="&c;" xmlUrl="https://example.com/f"/>'
        b"</body></opml>"
    )
    external = (
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<opml version="2.0"><body><outline text="&x;" xmlUrl="https://example.com/f"/>'
        b"</body></opml>"
    )
    deep = (
        b'<opml version="2.0"><body>'
        + b'<outline text="f">' * (MAX_DEPTH + 1)
        + feed
        + b"</outline>" * (MAX_DEPTH + 1)
        + b"</body></opml>"
    )
    many = (
        b'<opml version="2.0"><body>'
        + b"".join(
            b'<outline text="x" xmlUrl="https://example.com/%d"/>' % i
            for i in range(MAX_OUTLINES + 1)
        )
        + b"</body></opml>"
    )
    big = b'<opml version="2.0"><body>' + b" " * MAX_OPML_BYTES + feed + b"</body></opml>"
    latin = '<opml version="2.0"><body><outline text="Zürich" xmlUrl="https://e.com/f"/>'
    (tmp_path / "a-directory").mkdir()
    return {
        "not XML": write("notes.opml", b"just some notes, https://example.com/feed.xml\n"),
        "not well-formed": write("broken.opml", b'<opml version="2.0"><body>' + feed),
        "an RSS feed": write("feed.opml", b'<rss version="2.0"><channel></channel></rss>'),
        "no body": write("nobody.opml", b'<opml version="2.0"><head/></opml>'),
        "billion laughs": write("laughs.opml", laughs),
        "external entity": write("external.opml", external),
        "too deep": write("deep.opml", deep),
        "too many outlines": write("many.opml", many),
        "too large": write("big.opml", big),
        "not UTF-8": write("latin.opml", latin.encode("latin-1") + b"</body></opml>"),
        "binary garbage": write("garbage.opml", os.urandom(4096)),
        "empty": write("empty.opml", b""),
        "missing": tmp_path / "missing.opml",
        "a directory": tmp_path / "a-directory",
    }


HOSTILE_REASONS = {
    "not XML": "not well-formed XML",
    "not well-formed": "not well-formed XML",
    "an RSS feed": "not OPML: the root element is <rss>",
    "no body": "not OPML: no <body>",
    "billion laughs": "declares a DTD",
    "external entity": "declares a DTD",
    "too deep": f"nested more than {MAX_DEPTH} levels deep",
    "too many outlines": f"more than {MAX_OUTLINES} outlines",
    "too large": f"over the {MAX_OPML_BYTES} byte limit",
    "not UTF-8": "not UTF-8 text",
    "binary garbage": "not UTF-8 text",
    "empty": "the file is empty",
    "missing": "no such file",
    "a directory": "not a regular file",
}


def test_a_malformed_or_hostile_file_is_one_line_exit_2_and_adds_nothing(
    sqlite_url: str, tmp_path: Path
) -> None:
    files = _hostile_files(tmp_path)
    assert set(files) == set(HOSTILE_REASONS)
    for case, path in files.items():
        result = run("--db", sqlite_url, "feeds", "import", str(path))
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 2, (case, result.stderr)
        assert len(lines) == 1 and HOSTILE_REASONS[case] in lines[0], (case, result.stderr)
        assert "Traceback" not in result.stderr and result.stdout == ""
    listed = run("--db", sqlite_url, "feeds", "list", "--json")
    assert json.loads(listed.stdout) == []


def test_import_and_export_through_the_cli(sqlite_url: str, tmp_path: Path) -> None:
    source = tmp_path / "subscriptions.opml"
    source.write_text(
        READER_EXPORT.replace(
            "</body>", '<outline text="passwd" xmlUrl="file:///etc/passwd"/></body>'
        )
    )
    first = run("--db", sqlite_url, "feeds", "import", str(source))
    assert first.returncode == 1, first.stderr
    assert first.stdout.startswith(f"{source}: 4 added, 0 already present, 1 refused")
    assert "refused passwd (file:///etc/passwd): invalid URL" in first.stdout
    assert first.stderr.strip() == "error: 1 of 5 outlines refused"
    second = run("--db", sqlite_url, "feeds", "import", str(source), "--json")
    report = json.loads(second.stdout)
    assert (len(report["added"]), len(report["already_present"])) == (0, 4)

    listed = run("--db", sqlite_url, "feeds", "list")
    assert "tags: News/Europe, Politics/EU, ukraine" in listed.stdout
    as_json = json.loads(run("--db", sqlite_url, "feeds", "list", "--json").stdout)
    assert {f["name"]: f["tags"] for f in as_json} == EXPECTED

    printed = run("--db", sqlite_url, "feeds", "export")
    assert printed.returncode == 0 and printed.stdout.startswith("<?xml")
    out = tmp_path / "out.opml"
    written = run("--db", sqlite_url, "feeds", "export", "--output", str(out))
    assert written.returncode == 0 and written.stdout == ""
    assert {f.name: list(f.tags) for f in read_opml(out.read_bytes()).feeds} == EXPECTED
    nowhere = run("--db", sqlite_url, "feeds", "export", "--output", str(tmp_path / "no/x.opml"))
    assert nowhere.returncode == 2 and "cannot write" in nowhere.stderr

    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    imported = run("--db", fresh, "feeds", "import", str(out))
    assert imported.returncode == 0, imported.stderr
    again = json.loads(run("--db", fresh, "feeds", "list", "--json").stdout)
    assert {f["name"]: f["tags"] for f in again} == EXPECTED


def test_feeds_stored_before_tags_existed_survive_the_upgrade(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0008")
    when = "'2026-01-06T12:00:00.000000+00:00'"
    if engine.dialect.name == "postgresql":
        when += "::timestamptz"
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO feeds (id, name, url, added_url, every_seconds, origin, active, "
                "next_due_at, consecutive_failures, created_at) VALUES (1, 'old', "
                f"'http://x.invalid/feed', 'http://x.invalid/feed', 900, 'cli', true, {when}, "
                f"0, {when})"
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
    tracker = make_tracker(db_url)
    try:
        (old,) = app.list_feeds(tracker)
        assert (old["name"], old["tags"], old["full_text"]) == ("old", [], False)
        assert len(tracker.feeds.recent_polls()) == 1
    finally:
        tracker.close()
