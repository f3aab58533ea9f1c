"""Runs projections: each page of events and the checkpoint move in one transaction.

A projection that fails on an event stops at the position before it, records why,
and raises; it never skips the event. The others go on.
"""

from __future__ import annotations

import gc
import logging
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from tracker.errors import StorageError, TrackerError
from tracker.projections.pages import Page
from tracker.store.driver import Driver, first_line
from tracker.store.engine import write_transaction
from tracker.store.locks import PROJECTION_LOCK_SPACE
from tracker.store.log import EventLog
from tracker.store.schema import projection_checkpoints

_log = logging.getLogger(__name__)

# SQLite's page cache while a page is written: a page of 100,000 events touches most
# leaves of a million-row timeline index, and SQLite's default 2 MB sends each touch
# back to the file. Taken only while a page is written; small pages never fill it.
CATCH_UP_CACHE_KIB = 256 * 1024


class ProjectionFailed(TrackerError):
    """A projection could not apply an event; it stopped there."""


class Projection(Protocol):
    name: str
    tables: tuple[sa.Table, ...]

    def apply(self, conn: Connection, page: Page) -> None:
        """Write the rows the page's events imply, inside the caller's transaction."""


@runtime_checkable
class RebuildsInBulk(Protocol):
    """A projection that can also rebuild set-wise, in SQL over the whole log."""

    def rebuild_bulk(self, conn: Connection, upto: int) -> bool:
        """Write the rows of every event up to ``upto`` in the caller's transaction;
        False when it declines (the runner then replays event by event)."""


@dataclass(frozen=True)
class ProjectionStatus:
    name: str
    position: int
    behind: int
    error: str | None


class ProjectionRunner:
    def __init__(
        self,
        log: EventLog,
        projections: Sequence[Projection],
        *,
        clock: Callable[[], datetime],
        page_size: int = 100_000,
    ) -> None:
        self.log = log
        self.projections = list(projections)
        self._clock = clock
        self._page_size = page_size
        self._driver = Driver(log.engine)

    def names(self) -> list[str]:
        return [p.name for p in self.projections]

    def checkpoints(self) -> dict[str, tuple[int, str | None]]:
        rows = self._driver.fetch("SELECT name, position, error FROM projection_checkpoints")
        found = {name: (position, error) for name, position, error in rows}
        return {p.name: found.get(p.name, (0, None)) for p in self.projections}

    def catch_up(self) -> dict[str, int]:
        """Apply every event past each projection's checkpoint; returns events applied."""
        positions = {name: pos for name, (pos, _) in self.checkpoints().items()}
        applied = dict.fromkeys(positions, 0)
        failures: list[str] = []
        active = list(self.projections)
        start = min(positions.values(), default=0)
        while active:
            page = Page.read(self.log, start, self._page_size)
            if not page:
                break
            together = self._commit_page(active, page, positions)
            if together is not None:
                for name, done in together.items():
                    applied[name] += done
                    positions[name] = page.upto
                start = page.upto
                continue
            for projection in list(active):
                todo = page.past(positions[projection.name])
                if not todo:
                    continue
                with _gc_paused():
                    done, reached, error = self._apply(projection, todo)
                applied[projection.name] += done
                positions[projection.name] = reached
                if error is not None:
                    failures.append(error)
                    active.remove(projection)
            start = page.upto
        if failures:
            raise ProjectionFailed("; ".join(failures))
        return applied

    def _commit_page(
        self,
        active: Sequence[Projection],
        page: Page,
        positions: dict[str, int],
    ) -> dict[str, int] | None:
        """Every projection's share of a page in one transaction: one commit (one fsync)
        per page instead of one per projection. Each checkpoint still moves with its rows.

        None, with nothing written, when a projection fails on an event of the page: the
        caller then applies the page projection by projection, so the others go on and
        the failing one stops exactly before its event.
        """
        done: dict[str, int] = {}
        try:
            with (
                _gc_paused(),
                write_transaction(self.log.engine, cache_kib=CATCH_UP_CACHE_KIB) as conn,
            ):
                for projection in active:
                    self._lock(conn, projection.name)
                    todo = page.past(positions[projection.name])
                    done[projection.name] = self._apply_in(conn, projection, todo)
        except (SQLAlchemyError, StorageError, self._driver.errors) as exc:
            raise StorageError(f"projections: {first_line(exc)}") from None
        except Exception:
            return None
        return done

    def _apply(self, projection: Projection, page: Page) -> tuple[int, int, str | None]:
        """(events applied here, position the projection reached, why it stopped)."""
        try:
            return self._commit(projection, page), page.upto, None
        except (SQLAlchemyError, StorageError, self._driver.errors) as exc:
            # The database failed, not an event: stop everything, with nothing half-done.
            raise StorageError(f"projection {projection.name!r}: {first_line(exc)}") from None
        except Exception:
            pass
        done, reached = 0, page.after
        for one in page.one_by_one():
            try:
                done += self._commit(projection, one)
            except Exception as exc:
                message = (
                    f"projection {projection.name!r} stopped at position {one.upto - 1}: "
                    f"event {one.upto} ({one.types[0]}) failed: "
                    f"{type(exc).__name__}: {first_line(exc)}"
                )
                self._record_error(projection.name, message)
                return done, reached, message
            reached = one.upto
        return done, reached, None

    def _commit(self, projection: Projection, page: Page) -> int:
        """Apply what is still past the checkpoint; another process may have got there first."""
        with write_transaction(self.log.engine) as conn:
            self._lock(conn, projection.name)
            return self._apply_in(conn, projection, page)

    def _apply_in(self, conn: Connection, projection: Projection, page: Page) -> int:
        """Inside the caller's transaction, holding the projection's lock."""
        if not page:
            return 0
        current = conn.execute(
            sa.select(projection_checkpoints.c.position).where(
                projection_checkpoints.c.name == projection.name
            )
        ).scalar()
        todo = page.past(current or 0)
        if not todo:
            return 0
        projection.apply(conn, todo)
        self._set_checkpoint(conn, projection.name, todo.upto, None)
        return len(todo)

    def _lock(self, conn: Connection, name: str) -> None:
        """One writer per projection at a time (SQLite's write lock already is one)."""
        if self._driver.postgres:
            conn.execute(
                sa.text("SELECT pg_advisory_xact_lock(:space, :key)"),
                {"space": PROJECTION_LOCK_SPACE, "key": zlib.crc32(name.encode()) - 2**31},
            )

    def _set_checkpoint(
        self, conn: Connection, name: str, position: int, error: str | None
    ) -> None:
        driver = self._driver
        sql = driver.upsert(
            "projection_checkpoints", ["name", "position", "updated_at", "error"], ["name"]
        )
        with driver.cursor(conn) as cursor:
            cursor.execute(sql, (name, position, driver.time(self._clock()), error))

    def _record_error(self, name: str, message: str) -> None:
        with write_transaction(self.log.engine) as conn:
            current = conn.execute(
                sa.select(projection_checkpoints.c.position).where(
                    projection_checkpoints.c.name == name
                )
            ).scalar()
            self._set_checkpoint(conn, name, current or 0, message)

    def rebuild(self, names: Sequence[str] | None = None) -> dict[str, int]:
        """Drop the named projections' rows (all when None) and replay the whole log.

        A projection that can rebuild set-wise (``RebuildsInBulk``) does, in the same
        transaction as the drop; the others, or one whose set-wise form declines or
        fails, replay event by event, stopping loudly at an event they cannot take.
        """
        chosen = [p for p in self.projections if names is None or p.name in names]
        upto = self.log.last_position()
        done: dict[str, int] = {}
        for projection in chosen:
            bulk = projection.rebuild_bulk if isinstance(projection, RebuildsInBulk) else None
            try:
                with write_transaction(self.log.engine) as conn:
                    self._lock(conn, projection.name)
                    self._clear(conn, projection)
                    if bulk is not None and upto and bulk(conn, upto):
                        self._set_checkpoint(conn, projection.name, upto, None)
                        done[projection.name] = upto
                if projection.name in done:
                    self._settle(projection)
            except StorageError:
                if bulk is None:
                    raise
                with write_transaction(self.log.engine) as conn:
                    self._lock(conn, projection.name)
                    self._clear(conn, projection)
        counts = self.catch_up()
        return {name: counts[name] + done.get(name, 0) for name in counts}

    def _settle(self, projection: Projection) -> None:
        """After a bulk load on PostgreSQL: fresh statistics, and a visibility map so the
        as-of seeks are index-only (a million-row timeline: whole state 425 -> 86 ms of SQL).
        The rebuild is already committed; a failure here only costs speed until autovacuum.
        """
        if not self._driver.postgres:
            return
        try:
            with self.log.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                for table in projection.tables:
                    conn.exec_driver_sql(f"VACUUM (ANALYZE) {table.name}")
        except SQLAlchemyError as exc:
            _log.warning("vacuum after rebuild failed: %s", first_line(exc))

    @staticmethod
    def _clear(conn: Connection, projection: Projection) -> None:
        for table in projection.tables:
            conn.execute(sa.delete(table))
        conn.execute(
            sa.delete(projection_checkpoints).where(
                projection_checkpoints.c.name == projection.name
            )
        )

    def status(self) -> list[ProjectionStatus]:
        last = self.log.last_position()
        return [
            ProjectionStatus(name, position, last - position, error)
            for name, (position, error) in self.checkpoints().items()
        ]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Hold the cyclic GC while a page of events is alive.

    A page is tens of thousands of small acyclic dicts; left on, the collector
    rescans them over and over and costs more than the page's SQL.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def table_rows(conn: Connection, table: sa.Table) -> list[dict[str, Any]]:
    """Every row of a table in primary-key order, for comparing two builds."""
    order = list(table.primary_key.columns)
    return [dict(row._mapping) for row in conn.execute(sa.select(table).order_by(*order))]
