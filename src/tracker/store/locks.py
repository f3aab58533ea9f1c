"""Every lock the tracker takes, and every advisory lock key: a lock file beside SQLite
(one service per database), and on PostgreSQL the advisory locks writers and services
share it by.

PostgreSQL keys, one place for all of them so no two can collide: the append lock
(transaction level: positions become visible in commit order), the projection writers'
space (transaction level, one key per projection), the leader's lock (session level, one
holder), each run's own lock (session level, held while the run's process lives), and
the claim lock (transaction level: claims are counted per host and taken one claimant at
a time).

What goes wrong here leaves as StorageError: a lock file that cannot be opened, a
database that cannot be read.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from tracker.errors import StorageError
from tracker.store.engine import database_errors, translated

# One-key advisory locks. Every appender on a database takes the same one.
APPEND_LOCK_KEY = 7_346_104_200
LEADER_LOCK_KEY = 7_346_104_203
CLAIM_LOCK_KEY = 7_346_104_204
# Two-key advisory locks: (space, projection name's CRC) and (space, run id).
PROJECTION_LOCK_SPACE = 734_610
RUN_LOCK_SPACE = 734_611

_THIS_DATABASE = "(SELECT oid FROM pg_database WHERE datname = current_database())"


class ServiceLock:
    """One service per SQLite database: an ``flock`` on ``<database>.service.lock``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._path = Path(f"{engine.url.database}.service.lock")

    @contextmanager
    def hold(self) -> Iterator[bool]:
        """Yields whether the lock was taken; held until the block ends (or the process dies)."""
        try:
            handle = self._path.open("a+")
        except OSError as exc:
            raise StorageError(
                f"{self._path}: cannot open the service lock: {exc.strerror}"
            ) from None
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            except OSError as exc:
                raise StorageError(f"{self._path}: cannot lock: {exc.strerror}") from None
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def is_held(self) -> bool:
        """Whether some live process holds the lock right now."""
        if not self._path.exists():
            return False
        with self.hold() as taken:
            return not taken


class Seat:
    """A service run's own PostgreSQL session, kept open for the run's life.

    It holds the run's lock, so others can tell the run is alive exactly (the server drops
    the lock when the process dies and its socket closes), and tries the leader's lock
    each time it is checked. A session that broke is opened again at the next check; until
    then the run does not lead.
    """

    def __init__(self, engine: Engine, run_id: int) -> None:
        self.engine = engine
        self.run_id = run_id
        self.leading = False
        self._conn: Connection | None = None

    def check(self) -> bool:
        """Whether this run leads now: the session is alive and holds the leader's lock."""
        try:
            if self._conn is None:
                self._conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
                self.leading = False
                if not self._try(
                    "SELECT pg_try_advisory_lock(:s, :k)", s=RUN_LOCK_SPACE, k=self.run_id
                ):
                    # The run's last session has not ended on the server yet.
                    self._drop()
                    return False
            if self.leading:
                # The lock lives as long as the session does: a round trip proves both.
                self._try("SELECT true")
            else:
                self.leading = self._try("SELECT pg_try_advisory_lock(:k)", k=LEADER_LOCK_KEY)
        except database_errors(self.engine):
            self._drop()
        return self.leading

    def _try(self, sql: str, **params: int) -> bool:
        assert self._conn is not None
        return bool(self._conn.execute(sa.text(sql), params).scalar())

    def _drop(self) -> None:
        self.leading = False
        if self._conn is not None:
            with suppress(*database_errors(self.engine)):
                self._conn.invalidate()
                self._conn.close()
        self._conn = None

    def close(self) -> None:
        """Let go of both locks: the session ends."""
        if self._conn is not None:
            with suppress(*database_errors(self.engine)):
                self._conn.close()
        self._conn = None
        self.leading = False


@dataclass(frozen=True)
class Presence:
    """Which service runs have a live session on this database, and which of them leads."""

    alive: frozenset[int]
    leader: int | None


def presence(engine: Engine) -> Presence:
    """The runs whose locks are held right now (PostgreSQL), read from ``pg_locks``."""
    hi, lo = LEADER_LOCK_KEY >> 32, LEADER_LOCK_KEY & 0xFFFFFFFF
    query = sa.text(
        "SELECT r.objid::bigint AS run, EXISTS (SELECT 1 FROM pg_locks l "
        "  WHERE l.pid = r.pid AND l.locktype = 'advisory' AND l.granted "
        "  AND l.classid = :hi AND l.objid = :lo AND l.objsubid = 1 "
        "  AND l.database = r.database) AS leads "
        "FROM pg_locks r WHERE r.locktype = 'advisory' AND r.granted "
        f"AND r.classid = :space AND r.objsubid = 2 AND r.database = {_THIS_DATABASE}"
    )
    with translated(engine, "cannot read service locks"), engine.connect() as conn:
        rows = conn.execute(query, {"hi": hi, "lo": lo, "space": RUN_LOCK_SPACE}).all()
    leader = next((int(run) for run, leads in rows if leads), None)
    return Presence(frozenset(int(run) for run, _ in rows), leader)
