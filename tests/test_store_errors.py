"""The store owns every lock key and lets no driver error out: what the database or the
file system refuses leaves store/ as a StorageError with one line saying what."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from tracker.errors import StorageError
from tracker.store import locks
from tracker.store.alerts import AlertStore
from tracker.store.engine import make_engine
from tracker.store.feeds import FeedStore
from tracker.store.locks import Seat, ServiceLock, presence

SRC = Path(__file__).resolve().parents[1] / "src" / "tracker"
# A number as an advisory lock key is written: 7_346_104_2xx or 734_61x.
_KEY_LITERAL = re.compile(r"\b7_?346_?104_?\d{3}\b|\b734_?61\d\b")
# A port nothing listens on: connecting is refused at once.
UNREACHABLE = "postgresql://tracker@127.0.0.1:9/tracker"


def test_every_advisory_lock_key_is_defined_once_in_store_locks() -> None:
    elsewhere = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path != SRC / "store" / "locks.py" and _KEY_LITERAL.search(path.read_text())
    ]
    assert elsewhere == []
    keys = [locks.APPEND_LOCK_KEY, locks.LEADER_LOCK_KEY, locks.CLAIM_LOCK_KEY]
    spaces = [locks.PROJECTION_LOCK_SPACE, locks.RUN_LOCK_SPACE]
    assert len(set(keys)) == len(keys) and len(set(spaces)) == len(spaces)
    for path in SRC.rglob("*.py"):
        for call in re.findall(r"pg_(?:try_)?advisory\w*\(([^)]*)\)", path.read_text()):
            assert not re.search(r"\d", call), (path, call)  # keys are passed, not spelled


def test_a_service_lock_file_that_cannot_be_opened_is_a_storage_error(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'gone' / 'tracker.db'}")
    with pytest.raises(StorageError, match="cannot open"), ServiceLock(engine).hold():
        pass


def test_an_unreachable_database_is_a_storage_error_from_every_store() -> None:
    engine = make_engine(UNREACHABLE)
    try:
        with pytest.raises(StorageError, match="cannot read service locks"):
            presence(engine)
        with pytest.raises(StorageError, match="cannot list feeds"):
            FeedStore(engine).all()
        with pytest.raises(StorageError, match="cannot read alerts"):
            AlertStore(engine).recent(5)
        # The seat is asked every tick: a database away means not leading, not a crash.
        assert Seat(engine, 1).check() is False
    finally:
        engine.dispose()


def test_a_sqlite_file_that_is_not_a_database_is_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "tracker.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    path.write_bytes(b"not a database" * 100)
    try:
        with pytest.raises(StorageError, match="cannot list feeds"):
            FeedStore(engine).all()
    finally:
        engine.dispose()
