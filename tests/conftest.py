"""Fixtures: every backend test runs on a real SQLite file and a real PostgreSQL server.

PostgreSQL comes from TRACKER_TEST_POSTGRES_URL, else a throwaway cluster started
here with initdb/pg_ctl (as an unprivileged user when the tests run as root). In
CI (CI=true) a missing PostgreSQL fails the run instead of skipping.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from support.feedserver import FeedServer
from support.hostileserver import HostileServer
from support.pg_cluster import Cluster
from support.trackers import make_tracker, migrated

from tracker.app import Tracker
from tracker.config import load_story, shipped_config_dir
from tracker.ingest.extract import RuleExtractor, load_extraction_config


@pytest.fixture(scope="session")
def extractor() -> RuleExtractor:
    """The shipped rules over the real spaCy model (loaded once per process)."""
    directory = shipped_config_dir()
    return RuleExtractor(load_story(directory), load_extraction_config(directory))


@pytest.fixture(scope="session")
def server() -> Iterator[FeedServer]:
    """A real HTTP server on 127.0.0.1 serving the shared feed files and hostile cases."""
    running = FeedServer().start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def hostile() -> Iterator[HostileServer]:
    """The feed server's routes plus servers that attack (tests/support/hostileserver.py)."""
    running = HostileServer().start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    given = os.environ.get("TRACKER_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    try:
        cluster = Cluster(durable=False)
    except (FileNotFoundError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        message = f"no PostgreSQL for tests: {exc} {detail.decode(errors='replace')[-500:]}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield cluster.url
    finally:
        cluster.stop()


@pytest.fixture
def postgres_url(postgres_admin_url: str) -> Iterator[str]:
    """A fresh, empty database on the test server, dropped afterwards."""
    name = f"tracker_test_{uuid.uuid4().hex[:12]}"
    admin = postgres_admin_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = sa.make_url(postgres_admin_url).set(database=name)
    yield base.render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'tracker.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """An empty database on each backend, in turn."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def migrated_url(db_url: str) -> str:
    return migrated(db_url)


@pytest.fixture
def tracker(migrated_url: str) -> Iterator[Tracker]:
    built = make_tracker(migrated_url)
    yield built
    built.close()
