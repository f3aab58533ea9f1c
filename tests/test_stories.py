"""A second story beside the seed, end to end through the real command line: started from an
article file, a question added by the CLI, moved by a feed on 127.0.0.1 while the seed story's
answers stay as they were; and bad input for every new command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.cli import run
from support.feedserver import FeedServer, rss

from tracker.errors import ConfigError

ENV = {"TRACKER_FETCH_ALLOW_PRIVATE_NETWORKS": "1"}

ARTICLE = """US and Iran open nuclear talks in Geneva
Negotiators from the United States and Iran met in Geneva on Monday for a first round of
indirect talks on Tehran's nuclear programme, Omani mediators said. The White House said a deal
was possible but warned that military options remained on the table. Iran's foreign minister
Abbas Araghchi said his country would not give up enrichment.
"""


def cli(config: Path, db: str, *args: str) -> dict[str, object] | list[object]:
    result = run("--db", db, "--config", str(config), *args, "--json", env=ENV)
    assert result.returncode == 0, result.stderr
    loaded: dict[str, object] | list[object] = json.loads(result.stdout)
    return loaded


def refused(config: Path, db: str, *args: str) -> str:
    result = run("--db", db, "--config", str(config), *args, env=ENV)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    return result.stderr


@pytest.fixture
def two(tmp_path: Path) -> tuple[Path, str]:
    """A database holding the seed story and a second one started from an article file."""
    config = tmp_path / "config"
    config.mkdir()
    db = f"sqlite:///{tmp_path / 'tracker.db'}"
    (tmp_path / "iran.txt").write_text(ARTICLE)
    cli(config, db, "seed")
    added = cli(
        config,
        db,
        "stories",
        "add",
        str(tmp_path / "iran.txt"),
        "--id",
        "iran-talks",
        "--published",
        "2026-02-16",
    )
    assert isinstance(added, dict)
    assert added["story"] == "iran-talks" and added["statements"] >= 2
    assert (config / "stories" / "iran-talks.toml").is_file()
    return config, db


def test_a_second_story_moves_from_a_feed_and_leaves_the_seed_alone(
    two: tuple[Path, str], server: FeedServer
) -> None:
    config, db = two
    seed_before = cli(config, db, "state", "--story", "paris-summit-2026")
    assert isinstance(seed_before, dict)
    cli(
        config,
        db,
        "questions",
        "add",
        "--story",
        "iran-talks",
        "--id",
        "iran-us-talks-held",
        "--text",
        "Have Iran and the United States held talks?",
        "--fact",
        "iran-united-states/held/talks",
        "--action",
        "hold talks,discuss,meet",
        "--object",
        "talks,deal",
    )
    ask = ("ask", "iran-us-talks-held", "--story", "iran-talks")
    before = cli(config, db, *ask)
    assert isinstance(before, dict) and before["answer"] is None

    server.mutable["iran"] = rss(
        [
            {
                "title": "Iran and US negotiators meet again in Geneva",
                "link": "http://example.invalid/iran-geneva",
                "description": "Iranian and US negotiators discussed a deal in Geneva on "
                "Tuesday, officials said.",
                "pubDate": "Tue, 17 Feb 2026 18:00:00 GMT",
                "guid": "iran-geneva-1",
            }
        ]
    )
    for name, path in (("iran", "/mutable/iran"), ("cbs", "/feeds/news-cbs-world-2026-02-17.xml")):
        cli(config, db, "feeds", "add", server.url(path), "--name", name)
    polled = run("--db", db, "--config", str(config), "poll", "--all", env=ENV)
    assert polled.returncode == 0, polled.stderr

    after = cli(config, db, *ask)
    assert isinstance(after, dict)
    assert after["answer"] is True and after["since"].startswith("2026-02-17")
    assert after["evidence"][0]["key"] == "iran-united-states/held/talks"

    seed_after = cli(config, db, "state", "--story", "paris-summit-2026")
    assert isinstance(seed_after, dict)
    pick = ("question", "answer", "since", "evidence")
    assert [{k: a[k] for k in pick} for a in seed_after["answers"]] == [  # type: ignore[index]
        {k: a[k] for k in pick}
        for a in seed_before["answers"]  # type: ignore[union-attr]
    ]
    # The seed's facts are not the new story's, nor the new story's the seed's.
    iran_state = cli(config, db, "state", "--story", "iran-talks")
    assert isinstance(iran_state, dict)
    iran_keys = {f["key"] for f in iran_state["facts"]}  # type: ignore[union-attr]
    assert "iran-united-states/held/talks" in iran_keys
    # every fact the article states, not only what a question asks: "Negotiators from the
    # United States and Iran met in Geneva"
    assert {"iran/met-in/geneva", "united-states/met-in/geneva"} <= iran_keys
    assert "moscow/commented-on/paris-meeting" not in iran_keys
    seed_keys = {f["key"] for f in seed_after["facts"]}  # type: ignore[union-attr]
    assert "iran-united-states/held/talks" not in seed_keys

    listed = cli(config, db, "stories")
    assert isinstance(listed, list)
    by_id = {s["id"]: s for s in listed}  # type: ignore[index]
    assert by_id["iran-talks"]["questions"][0]["answer"] is True
    assert len(by_id["paris-summit-2026"]["questions"]) == 6

    # statements and replay stay within the story named
    said = cli(config, db, "statements", "--story", "iran-talks")
    assert isinstance(said, list) and said
    assert all("Paris" not in str(s["content"]) for s in said)  # type: ignore[index]
    seed_said = cli(config, db, "statements", "--story", "paris-summit-2026")
    assert isinstance(seed_said, list)
    # The seed article's statements are the seed story's only; the Iran article's, Iran's.
    iran_doc = {s["doc_id"] for s in said if "Omani" in str(s["speaker_name"])}  # type: ignore[index]
    assert len(iran_doc) == 1
    assert not [s for s in seed_said if s["doc_id"] in iran_doc]  # type: ignore[index]
    seed_doc = {s["doc_id"] for s in seed_said if s["speaker"] == "starmer"}  # type: ignore[index]
    assert len(seed_doc) == 1
    assert not [s for s in said if s["doc_id"] in seed_doc]  # type: ignore[index]
    replayed = cli(config, db, "replay", "--story", "iran-talks")
    assert isinstance(replayed, list)
    assert any(step["type"] == "StoryStarted" for step in replayed)  # type: ignore[index]
    assert not any("paris-meeting" in step["summary"] for step in replayed)  # type: ignore[index]


def test_with_several_stories_a_read_command_names_them(two: tuple[Path, str]) -> None:
    config, db = two
    message = refused(config, db, "state")
    assert "--story" in message and "paris-summit-2026" in message and "iran-talks" in message
    assert "unknown story 'nope'" in refused(config, db, "ask", "x", "--story", "nope")
    # a question of the other story is not this one's
    assert "unknown question" in refused(
        config, db, "ask", "moscow-commented", "--story", "iran-talks"
    )


def test_one_story_in_the_database_needs_no_story_option(tmp_path: Path) -> None:
    config = tmp_path / "config"
    (config / "stories").mkdir(parents=True)
    # another story configured but not in this database
    (config / "stories" / "other.toml").write_text('[story]\nid = "other"\ntitle = "Other"\n')
    db = f"sqlite:///{tmp_path / 'tracker.db'}"
    cli(config, db, "seed")
    view = cli(config, db, "ask", "moscow-commented", "--at", "2026-01-06")
    assert isinstance(view, dict) and view["answer"] is False


def test_bad_input_to_the_story_commands(two: tuple[Path, str], tmp_path: Path) -> None:
    config, db = two
    article = str(tmp_path / "iran.txt")
    assert "already exists" in refused(config, db, "stories", "add", article, "--id", "iran-talks")
    assert "already exists" in refused(
        config, db, "stories", "add", article, "--id", "paris-summit-2026"
    )
    assert "expected lowercase" in refused(config, db, "stories", "add", article, "--id", "Bad Id")
    assert "no such file" in refused(
        config, db, "stories", "add", str(tmp_path / "missing.txt"), "--id", "x1"
    )
    assert "not a regular file" in refused(
        config, db, "stories", "add", str(tmp_path), "--id", "x2"
    )
    assert "only http and https" in refused(
        config, db, "stories", "add", "file:///etc/passwd", "--id", "x3"
    )
    # the address check refuses a private address unless allowed
    strict = run(
        "--db", db, "--config", str(config), "stories", "add", "http://127.0.0.1:9/a", "--id", "x4"
    )
    assert strict.returncode == 2 and "Traceback" not in strict.stderr
    assert not (config / "stories" / "x4.toml").exists()
    base = ("questions", "add", "--story", "iran-talks", "--text", "Q?")
    assert "expected subject/predicate" in refused(
        config, db, *base, "--id", "q1", "--fact", "nokey"
    )
    assert "already exists" in refused(
        config, db, *base, "--id", "moscow-commented", "--fact", "a/b"
    )
    assert "unknown side 'martians'" in refused(
        config, db, *base, "--id", "q2", "--fact", "a/b", "--action", "x", "--object", "y",
        "--agent", "martians",
    )  # fmt: skip
    assert "unknown story" in refused(
        config, db, "questions", "add", "--story", "nope", "--id", "q3", "--text", "Q?",
        "--fact", "a/b",
    )  # fmt: skip
    # nothing refused was written
    text = (config / "stories" / "iran-talks.toml").read_text()
    assert "q1" not in text and "q2" not in text
    assert sorted(p.name for p in (config / "stories").iterdir()) == ["iran-talks.toml"]


def test_a_story_names_sides_of_its_own(tmp_path: Path) -> None:
    from tracker.config import load_stories
    from tracker.ingest.extraction_config import load_extraction_config

    (tmp_path / "stories").mkdir()
    rule = (
        '[[rules]]\nid = "iran-spoke.statement"\nquestion = "iran-spoke"\nkind = "statement"\n'
        'fact = "iran/commented-on/talks"\nside = "iran"\ntopics = ["talks"]\n'
    )
    story = (
        '[story]\nid = "iran"\ntitle = "Iran talks"\n\n'
        '[[questions]]\nid = "iran-spoke"\ntext = "Has Iran spoken?"\n'
        'facts = ["iran/commented-on/talks"]\n\n' + rule
    )
    (tmp_path / "stories" / "iran.toml").write_text(story)
    questions = frozenset(q.id for s in load_stories(tmp_path) for q in s.questions)
    with pytest.raises(ConfigError, match="unknown side 'iran'"):
        load_extraction_config(tmp_path, questions)
    (tmp_path / "stories" / "iran.toml").write_text(
        story.replace(
            "\n\n[[questions]]", '\n\n[sides]\niran = ["Iran", "Tehran"]\n\n[[questions]]'
        )
    )
    config = load_extraction_config(tmp_path, questions)
    assert config.sides["iran"].find("Tehran said") == ["tehran"]
    assert "russia" in config.sides  # the shared sides stay


def test_a_story_from_a_page_reads_its_main_text(tmp_path: Path, server: FeedServer) -> None:
    config = tmp_path / "config"
    config.mkdir()
    db = f"sqlite:///{tmp_path / 'tracker.db'}"
    page = server.url("/pages/hubs-planned.html")
    added = cli(config, db, "stories", "add", page, "--id", "hubs")
    assert isinstance(added, dict)
    assert added["title"].startswith("Britain and France plan military hubs")
    assert added["statements"] >= 1 and added["source"] == page
    events = cli(config, db, "events", "--type", "DocumentIngested")
    assert isinstance(events, list) and len(events) == 1
    content = events[0]["data"]["content"]  # type: ignore[index]
    assert "military hubs promised at the Paris summit" in content
    assert "cookie" not in content.lower()  # the page's banner is not the article
    # the address check still guards a story's page
    strict = run("--db", db, "--config", str(config), "stories", "add", page, "--id", "hubs2")
    assert strict.returncode == 2 and "Traceback" not in strict.stderr
    assert not (config / "stories" / "hubs2.toml").exists()
