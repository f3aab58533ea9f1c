"""The command line: configuration precedence, database selection, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.cli import run

from tracker.config import load_settings
from tracker.errors import ConfigError


def test_settings_precedence_defaults_file_environment_option(tmp_path: Path) -> None:
    (tmp_path / "tracker.toml").write_text(
        '[database]\nurl = "sqlite:///from-file.db"\nbusy_timeout_ms = 1234\n'
        "[fetch]\nread_timeout = 5\n"
    )
    from_file = load_settings(config_dir=tmp_path, environ={})
    assert from_file.database.url == "sqlite:///from-file.db"
    assert from_file.database.busy_timeout_ms == 1234 and from_file.fetch.read_timeout == 5.0
    assert from_file.fetch.max_redirects == 5  # default kept
    env = {
        "TRACKER_DATABASE_URL": "sqlite:///from-env.db",
        "TRACKER_FETCH_ALLOW_PRIVATE_NETWORKS": "1",
    }
    from_env = load_settings(config_dir=tmp_path, environ=env)
    assert from_env.database.url == "sqlite:///from-env.db"
    assert from_env.fetch.allow_private_networks is True
    given = load_settings(
        config_dir=tmp_path,
        environ=env,
        overrides={"database": {"url": "sqlite:///from-option.db"}},
    )
    assert given.database.url == "sqlite:///from-option.db"


def test_config_directory_comes_from_the_environment(tmp_path: Path) -> None:
    (tmp_path / "tracker.toml").write_text("[fetch]\nmax_redirects = 2\n")
    assert load_settings(environ={"TRACKER_CONFIG": str(tmp_path)}).fetch.max_redirects == 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[database\nurl=1", "invalid TOML"),
        ("[database]\nbusy_timeout_ms = 'soon'\n", "database.busy_timeout_ms: expected an integer"),
        ("[database]\ncolour = 'red'\n", "unknown key database.colour"),
        ("[nonsense]\nx = 1\n", "unknown section [nonsense]"),
    ],
)
def test_a_malformed_config_file_is_one_line_naming_file_and_key(
    tmp_path: Path, content: str, expected: str
) -> None:
    (tmp_path / "tracker.toml").write_text(content)
    with pytest.raises(ConfigError, match=r"tracker\.toml"):
        load_settings(config_dir=tmp_path, environ={})
    result = run("--config", str(tmp_path), "db", "status")
    assert result.returncode == 2
    assert expected in result.stderr and "tracker.toml" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("not a url", "invalid database URL"),
        ("mysql://u@h/db", "unsupported database 'mysql'"),
        ("sqlite://", "in-memory"),
    ],
)
def test_a_bad_database_url_is_a_usage_error(url: str, expected: str) -> None:
    result = run("--db", url, "db", "status")
    assert result.returncode == 2 and expected in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_environment_variable_names_itself(tmp_path: Path) -> None:
    result = run(
        "db",
        "status",
        env={"TRACKER_DATABASE_BUSY_TIMEOUT_MS": "x", "TRACKER_CONFIG": str(tmp_path)},
    )
    assert result.returncode == 2
    assert "TRACKER_DATABASE_BUSY_TIMEOUT_MS: expected an integer" in result.stderr


def test_without_a_url_the_embedded_database_lives_in_the_user_data_dir(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    result = run("db", "upgrade", "--json", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["up_to_date"] is True
    assert (tmp_path / "data" / "tracker" / "tracker.db").is_file()


def test_db_upgrade_migrates_postgres_and_status_reports_it(postgres_url: str) -> None:
    before = run("--db", postgres_url, "db", "status", "--json")
    assert json.loads(before.stdout)["current"] is None
    assert run("--db", postgres_url, "db", "upgrade").returncode == 0
    after = json.loads(run("--db", postgres_url, "db", "status", "--json").stdout)
    assert after["up_to_date"] is True and after["current"] == after["head"]


def test_a_database_that_cannot_be_reached_is_one_line(tmp_path: Path) -> None:
    result = run("--db", "postgresql://nobody@127.0.0.1:1/x", "db", "status")
    assert result.returncode == 1 and result.stderr.startswith("error: ")
    assert len(result.stderr.strip().splitlines()) == 1
