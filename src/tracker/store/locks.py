"""One service per database: a PostgreSQL advisory lock, or a lock file beside SQLite."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

SERVICE_LOCK_KEY = 7_346_104_202


class ServiceLock:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._postgres = engine.dialect.name == "postgresql"
        self._path = Path(f"{engine.url.database}.service.lock")

    @contextmanager
    def hold(self) -> Iterator[bool]:
        """Yields whether the lock was taken; held until the block ends (or the process dies)."""
        if self._postgres:
            with self.engine.connect() as conn:
                taken = bool(
                    conn.execute(
                        sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": SERVICE_LOCK_KEY}
                    ).scalar()
                )
                conn.commit()
                try:
                    yield taken
                finally:
                    if taken:
                        conn.execute(
                            sa.text("SELECT pg_advisory_unlock(:k)"), {"k": SERVICE_LOCK_KEY}
                        )
                        conn.commit()
            return
        with self._path.open("a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def is_held(self) -> bool:
        """Whether some live process holds the lock right now."""
        if self._postgres:
            query = sa.text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND classid = :hi AND objid = :lo AND objsubid = 1 "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
            with self.engine.connect() as conn:
                held = conn.execute(
                    query, {"hi": SERVICE_LOCK_KEY >> 32, "lo": SERVICE_LOCK_KEY & 0xFFFFFFFF}
                ).scalar()
            return bool(held)
        if not self._path.exists():
            return False
        with self.hold() as taken:
            return not taken
