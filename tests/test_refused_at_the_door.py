"""Bad input is refused at the door: one line naming the option, variable or file, exit 2;
a database that is not ours is refused unchanged; secrets stay out of output."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import stat
from pathlib import Path

import pytest
from support.cli import run
from support.hostileserver import HostileServer

from tracker.ingest.addresses import is_public_address
from tracker.ingest.urls import check_feed_url
from tracker.store.engine import make_engine
from tracker.store.migrations import upgrade


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("TRACKER_FETCH_READ_TIMEOUT", "nan"),
        ("TRACKER_FETCH_CONNECT_TIMEOUT", "-1"),
        ("TRACKER_FETCH_CONNECT_TIMEOUT", "inf"),
        ("TRACKER_FETCH_TOTAL_TIMEOUT", "nan"),
        ("TRACKER_FETCH_USER_AGENT", "tracker \u00e9t\u00e9"),
        ("TRACKER_FETCH_USER_AGENT", "tracker\r\nX-Injected: 1"),
        ("TRACKER_FETCH_MAX_BYTES", "0"),
        ("TRACKER_SERVICE_MAX_BACKOFF_SECONDS", "-1"),
        ("TRACKER_SERVICE_DEFAULT_EVERY_SECONDS", "0"),
        ("TRACKER_SERVICE_DEFAULT_EVERY_SECONDS", "-60"),
        ("TRACKER_SERVICE_WORKERS", "100000"),
        ("TRACKER_INGEST_MAX_DOCUMENT_CHARS", "-5"),
    ],
)
def test_a_setting_out_of_range_is_refused_naming_the_variable(
    sqlite_url: str, variable: str, value: str
) -> None:
    result = run("--db", sqlite_url, "feeds", "list", env={variable: value})
    assert result.returncode == 2
    assert variable in one_line(result.stderr)


def test_an_interval_must_be_between_a_minute_and_a_month(sqlite_url: str) -> None:
    for every in ("99999999d", "32d", "30s", "999999999999999999999m"):
        result = run("--db", sqlite_url, "feeds", "add", "http://example.com/f", "--every", every)
        assert result.returncode == 2 and "--every" in one_line(result.stderr), every
    ok = run("--db", sqlite_url, "feeds", "add", "http://example.com/f", "--every", "30d")
    assert ok.returncode == 0, ok.stderr


@pytest.mark.parametrize(
    "content",
    [
        b"[fetch]\nuser_agent = '\xff\xfe'\n",
        b"x = " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
    ],
    ids=["not utf-8", "deeply nested"],
)
def test_a_config_file_not_utf8_or_absurdly_nested_is_refused(
    sqlite_url: str, tmp_path: Path, content: bytes
) -> None:
    (tmp_path / "tracker.toml").write_bytes(content)
    result = run("--db", sqlite_url, "--config", str(tmp_path), "feeds", "list")
    assert result.returncode == 2
    assert "tracker.toml" in one_line(result.stderr)


def test_config_lists_of_the_wrong_shape_are_refused(sqlite_url: str, tmp_path: Path) -> None:
    (tmp_path / "actors.toml").write_text("actors = 3\n")
    result = run("--db", sqlite_url, "--config", str(tmp_path), "state")
    assert result.returncode == 2 and "actors.toml: actors" in one_line(result.stderr)


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/feed\r\nX-Injected: 1",
        "http://example.com/\x1b]0;pwned\x07",
        "http://example.com/a feed",
        "http://exa\u00admple.com/\u0085",
        "http://xn--a.com/feed",
        "http://a" + "." * 3 + "b/feed",
        "http://user:secret@example.com/feed",
        "http://[::1/feed",
    ],
)
def test_a_feed_url_httpx_cannot_use_is_refused_when_added(sqlite_url: str, url: str) -> None:
    result = run("--db", sqlite_url, "feeds", "add", url)
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert "invalid URL" in line and "secret" not in line and "\x1b" not in line


def test_a_bad_url_in_feeds_toml_is_refused_naming_the_file_and_key(
    sqlite_url: str, tmp_path: Path
) -> None:
    (tmp_path / "feeds.toml").write_text(
        '[[feeds]]\nurl = "https://example.com/ok"\n[[feeds]]\nurl = "http://bad host/feed"\n'
    )
    result = run("--db", sqlite_url, "--config", str(tmp_path), "poll")
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert "feeds.toml: feeds[1].url" in line


def test_database_urls_are_refused_without_their_password(sqlite_url: str) -> None:
    for url in (
        "postgresql://alice:PW-secret@host:notaport/db",
        "postgresql+asyncpg://alice:PW-secret@h/db",
    ):
        result = run("--db", url, "state")
        assert result.returncode == 2
        line = one_line(result.stderr)
        assert "PW-secret" not in line and "alice:***@" in line


def test_another_applications_sqlite_file_is_refused_unchanged(tmp_path: Path) -> None:
    foreign = tmp_path / "app.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO users (name) VALUES ('ann')")
    before = hashlib.sha256(foreign.read_bytes()).hexdigest()
    for command in (["state"], ["seed"], ["db", "upgrade"], ["feeds", "list"]):
        result = run("--db", f"sqlite:///{foreign}", *command)
        assert result.returncode == 1, command
        assert "not a tracker database" in one_line(result.stderr)
    assert hashlib.sha256(foreign.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.db"]  # no -wal, no -shm


def test_another_applications_postgres_database_is_refused(postgres_url: str) -> None:
    import psycopg

    with psycopg.connect(postgres_url.replace("+psycopg", "")) as conn:
        conn.execute("CREATE TABLE users (id int)")
    result = run("--db", postgres_url, "db", "upgrade")
    assert result.returncode == 1 and "not a tracker database" in one_line(result.stderr)


def test_read_commands_never_create_a_database(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "tracker.db"
    for command in (
        ["state"],
        ["ask", "moscow-commented"],
        ["feeds", "list"],
        ["status"],
        ["events"],
        ["db", "status"],
    ):
        result = run("--db", f"sqlite:///{missing}", *command)
        assert result.returncode == 1, command
        assert "no database at" in one_line(result.stderr)
    assert not (tmp_path / "typo").exists()


def test_a_new_sqlite_database_is_owner_only_and_db_status_is_truthful(tmp_path: Path) -> None:
    path = tmp_path / "data" / "tracker.db"
    url = f"sqlite:///{path}"
    assert run("--db", url, "seed").returncode == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    status = json.loads(run("--db", url, "db", "status", "--json").stdout)
    assert status["database"] == url and status["up_to_date"] and status["migrates_itself"]
    old = tmp_path / "old.db"
    upgrade(make_engine(f"sqlite:///{old}"), "0001")
    behind = run("--db", f"sqlite:///{old}", "db", "status")
    assert "migrated on its next use" in behind.stdout, behind.stdout
    assert run("--db", f"sqlite:///{old}", "state").returncode == 0
    assert "up to date" in run("--db", f"sqlite:///{old}", "db", "status").stdout


def test_credentials_never_reach_a_feed_url(sqlite_url: str) -> None:
    assert check_feed_url("https://user:pw@example.com/feed")
    result = run(
        "--db",
        sqlite_url,
        "ingest",
        "-",
        "--published",
        "2026-01-06",
        "--url",
        "https://user:pw@example.com/a",
    )
    assert result.returncode == 2 and "pw@" not in one_line(result.stderr)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("64:ff9b::7f00:1", False),  # NAT64 of 127.0.0.1
        ("64:ff9b::a00:1", False),  # NAT64 of 10.0.0.1
        ("64:ff9b::808:808", True),  # NAT64 of 8.8.8.8
        ("64:ff9b:1:7f00:0:100::", False),  # local-use NAT64 /48 of 127.0.0.1
        ("2002:7f00:1::1", False),  # 6to4 of 127.0.0.1
        ("2002:c0a8:101::1", False),  # 6to4 of 192.168.1.1
        ("::7f00:1", False),  # IPv4-compatible 127.0.0.1
        ("::ffff:127.0.0.1", False),  # IPv4-mapped
        ("::ffff:8.8.8.8", True),
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", False),  # Teredo, client 127.0.0.1
        ("::1", False),
        ("2606:4700::1111", True),
        ("8.8.8.8", True),
        ("169.254.169.254", False),
    ],
)
def test_addresses_embedding_ipv4_are_judged_by_the_ipv4_inside(address: str, public: bool) -> None:
    assert is_public_address(address) is public


def test_a_refused_address_is_named_with_the_host_that_led_to_it(
    sqlite_url: str, hostile: HostileServer
) -> None:
    url = hostile.url("/feeds/news-cbs-world-2026-02-17.xml").replace("127.0.0.1", "localhost")
    assert run("--db", sqlite_url, "feeds", "add", url, "--name", "local").returncode == 0
    result = run("--db", sqlite_url, "poll", "--json")
    assert result.returncode == 1 and "'local'" in result.stderr
    (row,) = json.loads(result.stdout)
    assert row["error"].startswith("refused: localhost is a private or local address (")
    assert "127.0.0.1" in row["error"] or "::1" in row["error"]


def test_control_characters_in_stored_text_never_reach_the_output(sqlite_url: str) -> None:
    from datetime import UTC, datetime

    from tracker.domain.events import DocumentIngested, new_event
    from tracker.domain.log import NO_STREAM
    from tracker.store.log import EventLog

    # As a database written before text was cleaned at the edge might hold it.
    title = "\x1b]0;pwned\x07Title \x1b[31mred\x9b2J"
    doc = DocumentIngested("d1", "i1", "feed", title, "c", "h", datetime(2026, 1, 6, tzinfo=UTC))
    upgrade(make_engine(sqlite_url))
    log = EventLog(make_engine(sqlite_url), clock=lambda: datetime.now(UTC))
    event = new_event(doc, "i1", occurred_at=doc.published_at)
    log.append("doc:d1", [event], expected_version=NO_STREAM)
    for args in (["events"], ["replay"], ["events", "--json"]):
        result = run("--db", sqlite_url, *args)
        assert result.returncode == 0, result.stderr
        assert not any(ch in result.stdout for ch in "\x1b\x07\x9b"), (args, result.stdout)
        assert "Title" in result.stdout
    parsed = json.loads(run("--db", sqlite_url, "events", "--json").stdout)
    # JSON keeps C0 controls as \u escapes (inert on a terminal, intact for a program).
    assert parsed[0]["data"]["title"] == "\x1b]0;pwned\x07Title \x1b[31mred2J"


EDGE_DATES = ("9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00")


def test_a_date_with_no_utc_instant_is_refused_by_every_command_that_reads_one(
    tmp_path: Path,
) -> None:
    from support.cli import invoke

    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    assert invoke(["--db", url, "seed"])[0] == 0
    commands = [
        ["ask", "moscow-commented", "{option}", "{date}"],
        ["state", "{option}", "{date}"],
        ["history", "moscow-commented", "{option}", "{date}"],
        ["replay", "{option}", "{date}"],
        ["statements", "{option}", "{date}"],
    ]
    cases = [
        [part.replace("{option}", option).replace("{date}", date) for part in command]
        for command in commands
        for option in ("--at", "--known-at")
        for date in EDGE_DATES
    ]
    cases += [["replay", option, date] for option in ("--since", "--until") for date in EDGE_DATES]
    cases += [["ingest", "-", "--published", date] for date in EDGE_DATES]
    for args in cases:
        code, err = invoke(["--db", url, *args])
        assert code == 2, (args, err)
        assert "out of range" in one_line(err) and args[-2] in err, args
    # The last instants that do exist are read, not refused.
    for date in ("9999-12-31T23:59:59.999999+00:00", "0001-01-01T00:00:00Z", "9999-12-31"):
        assert invoke(["--db", url, "state", "--at", date, "--known-at", date])[0] == 0, date


def test_a_huge_bad_value_is_echoed_back_cut_short(tmp_path: Path) -> None:
    from support.cli import invoke

    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    assert invoke(["--db", url, "seed"])[0] == 0
    junk = "9" * 1_000_000
    for args in (
        ["state", "--at", junk],
        ["replay", "--since", junk + "x"],
        ["ask", "q" * 100_000],
        ["history", "k" * 100_000],
        ["feeds", "remove", "f" * 100_000],
        ["poll", "--feed", "f" * 100_000],
        ["statements", "--by", "b" * 100_000],
        ["events", "--limit", junk + "x"],
        ["no-such-command-" + "c" * 100_000],
    ):
        code, err = invoke(["--db", url, *args])
        line = one_line(err)
        assert code == 2 and len(line) < 300, (args[0], len(line))
        assert "\u2026" in line, line
    code, err = invoke(["--db", url, "state", "--at", "9" * 20])
    assert code == 2 and "'" + "9" * 20 + "'" in one_line(err)  # a short one whole


def test_an_error_keeps_its_words_and_cuts_only_what_was_echoed() -> None:
    from tracker.errors import shown

    line = shown(f"--at: cannot read {'x' * 5000!r}; use YYYY-MM-DD")
    assert line == f"--at: cannot read '{'x' * 80}\u2026'; use YYYY-MM-DD"
    prose = "the service's log has the details; don't " + "y" * 120
    assert shown(prose) == prose
    assert shown("cannot listen on " + "h" * 5000 + ": refused").startswith(
        "cannot listen on " + "h" * 80 + "\u2026"
    )
    assert len(shown("a " * 10_000)) <= 501


@pytest.mark.parametrize(
    "name", ["a\x1b[2Jb", "tab\there", "zero\u200bwidth", " padded", "nbsp\u00a0", "\u00ad"]
)
def test_a_feed_name_that_cannot_be_typed_back_is_refused(tmp_path: Path, name: str) -> None:
    from support.cli import invoke

    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    code, err = invoke(["--db", url, "feeds", "add", "http://example.com/f", "--name", name])
    assert code == 2 and "feed name" in one_line(err), err
    config = tmp_path / "config"
    config.mkdir()
    (config / "feeds.toml").write_text(
        f'[[feeds]]\nurl = "http://example.com/g"\nname = {json.dumps(name)}\n'
    )
    code, err = invoke(["--db", url, "--config", str(config), "feeds", "list"])
    assert code == 2 and "feeds.toml: feeds[0].name: feed name" in one_line(err), err
    assert (
        invoke(["--db", url, "feeds", "add", "http://example.com/h", "--name", "BBC World"])[0] == 0
    )


def test_two_feeds_of_feeds_toml_with_one_name_are_refused_naming_the_file(
    tmp_path: Path,
) -> None:
    from support.cli import invoke

    (tmp_path / "feeds.toml").write_text(
        '[[feeds]]\nurl = "https://a.example/f"\nname = "x"\n'
        '[[feeds]]\nurl = "https://b.example/f"\nname = "x"\n'
    )
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    code, err = invoke(["--db", url, "--config", str(tmp_path), "poll"])
    assert code == 2
    assert "feeds.toml: feeds[1]: feed name 'x' is already taken" in one_line(err)


def test_a_replay_bound_is_a_position_of_ascii_digits_or_a_time(tmp_path: Path) -> None:
    from support.cli import invoke

    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    assert invoke(["--db", url, "seed"])[0] == 0
    for option in ("--since", "--until"):
        for bound, message in (
            ("\u00b2", "cannot read '\u00b2'; use a log position, YYYY-MM-DD"),
            ("\u0661\u0662", "cannot read"),
            ("-5", "a log position is 0 or more, not -5"),
        ):
            code, err = invoke(["--db", url, "replay", option, bound])
            assert code == 2 and f"{option}: {message}" in one_line(err), err
    assert invoke(["--db", url, "replay", "--since", " 60 ", "--until", "61"])[0] == 0


@pytest.mark.parametrize("option", ["--db", "--config"])
def test_an_empty_db_or_config_is_refused_not_taken_for_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: str
) -> None:
    from support.cli import invoke

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # where the default would go
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "config"
    config.mkdir()
    given = {"--db": f"sqlite:///{tmp_path}/x.db", "--config": str(config)}
    for value in ("", "  "):
        other = [part for name, url in given.items() if name != option for part in (name, url)]
        code, err = invoke([*other, option, value, "seed"])
        assert code == 2 and f"{option}: empty" in one_line(err), err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config"]
