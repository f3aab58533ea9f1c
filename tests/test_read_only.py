"""Read commands read: the database file is byte-identical after each, views a write left
behind are shown as they stand with a note, and `tracker catch-up` is the write."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

from support.cli import run
from support.story import MOSCOW_KEY, assert_event, fact
from support.trackers import make_tracker

from tracker.config import shipped_config_dir

READS = [
    ("ask", "moscow-commented"),
    ("state",),
    ("history", "moscow-commented"),
    ("statements",),
    ("replay",),
    ("events", "--limit", "5"),
    ("stories",),
    ("alerts", "list"),
    ("feeds", "list"),
    ("feeds", "export"),
    ("projections",),
    ("status",),
    ("db", "status"),
]


def _files(database: Path) -> dict[str, str]:
    """The database file and its write-ahead log, by content (the shared-memory index
    holds readers' marks and is left out)."""
    found = {}
    for path in (database, Path(f"{database}-wal")):
        if path.exists():
            found[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _config(tmp_path: Path, feeds_toml: str = "") -> Path:
    config = tmp_path / "config"
    shutil.copytree(shipped_config_dir(), config)
    (config / "feeds.toml").write_text(feeds_toml)
    return config


def test_every_read_command_leaves_the_database_file_byte_identical(tmp_path: Path) -> None:
    database = tmp_path / "tracker.db"
    url = f"sqlite:///{database}"
    # A declared feed not followed yet: `feeds list` shows it, and stores nothing.
    declared = "http://127.0.0.1:9/declared.xml"
    config = _config(tmp_path, f'[[feeds]]\nname = "declared"\nurl = "{declared}"\n')
    assert run("--db", url, "--config", str(config), "seed").returncode == 0
    before = _files(database)
    for command in READS:
        json_flag = () if command[:2] == ("feeds", "export") else ("--json",)
        result = run("--db", url, "--config", str(config), *command, *json_flag)
        assert result.returncode == 0, (command, result.stderr)
        assert "behind the log" not in result.stderr, command
        assert _files(database) == before, command
    listed = json.loads(run("--db", url, "--config", str(config), "feeds", "list", "--json").stdout)
    assert [(f["name"], f["url"], f["origin"]) for f in listed] == [
        ("declared", declared, "config")
    ]
    assert listed[0]["last_success_at"] is None and listed[0]["state"] == "active"
    assert _files(database) == before


def test_views_behind_the_log_are_shown_as_they_stand_with_a_note(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    config = _config(tmp_path)
    assert run("--db", url, "--config", str(config), "seed").returncode == 0

    def ask() -> tuple[str, str]:
        result = run("--db", url, "--config", str(config), "ask", "moscow-commented", "--json")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)["answer_text"], result.stderr

    assert ask() == ("no", "")
    # Appended the way a write killed before its catch-up leaves it: in the log only.
    tracker = make_tracker(url, config_dir=config)
    try:
        assert_event(tracker, fact(MOSCOW_KEY, True, datetime(2026, 1, 7, tzinfo=UTC)), "late")
    finally:
        tracker.close()
    answer, note = ask()
    assert answer == "no"
    assert "the views are 1 event behind the log" in note and "tracker catch-up" in note
    projections = run("--db", url, "--config", str(config), "projections", "--json")
    assert {p["behind"] for p in json.loads(projections.stdout)} == {1}
    caught = run("--db", url, "--config", str(config), "catch-up", "--json")
    assert caught.returncode == 0 and set(json.loads(caught.stdout).values()) == {1}
    assert ask() == ("yes", "")
