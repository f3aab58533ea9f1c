"""Engines for SQLite (embedded default) and PostgreSQL, configured the same way everywhere."""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any
from urllib.parse import quote

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from tracker.errors import ConfigError, SchemaError, StorageError

WRITE = "tracker_write"
_SYNCHRONOUS = {"OFF", "NORMAL", "FULL", "EXTRA"}


def dumps(value: Any) -> str:
    """Compact JSON with sorted keys, so equal payloads are equal text."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def parse_url(raw: str) -> URL:
    """Validate a database URL and pin the drivers tracker is tested with."""
    shown = redact_database_url(raw)
    try:
        url = make_url(raw)
        url.port  # noqa: B018 - a port that is not a number raises here, not at connect
    except (ArgumentError, ValueError):
        raise ConfigError(f"invalid database URL {shown!r}") from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        if url.drivername not in ("sqlite", "sqlite+pysqlite"):
            raise ConfigError(f"unsupported SQLite driver in {shown!r}; use sqlite:///PATH")
        return url.set(drivername="sqlite+pysqlite")
    if backend in ("postgresql", "postgres"):
        if url.drivername not in ("postgresql", "postgres", "postgresql+psycopg"):
            raise ConfigError(f"unsupported PostgreSQL driver in {shown!r}; use postgresql://...")
        return url.set(drivername="postgresql+psycopg")
    raise ConfigError(f"unsupported database {backend!r} in URL; use sqlite:/// or postgresql://")


def redact_database_url(raw: str) -> str:
    """A database URL fit to print: any password replaced by ``***``."""
    try:
        return make_url(raw).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        # Unparsable: hide whatever sits between the scheme's "//" and the last "@".
        return re.sub(r"(//[^/@]*?:)[^/]*@", r"\1***@", raw)


def make_engine(
    raw_url: str, *, synchronous: str = "FULL", busy_timeout_ms: int = 10_000, create: bool = True
) -> Engine:
    """An engine for the database at ``raw_url``.

    An SQLite file is created (owner-only, in an owner-only directory) only when
    ``create``; one that holds another application's tables is refused before any
    connection could change it (SQLite's journal mode is set on connect).
    """
    url = parse_url(raw_url)
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url, synchronous.upper(), busy_timeout_ms, create)
    return _postgres_engine(url)


def _sqlite_engine(url: URL, synchronous: str, busy_timeout_ms: int, create: bool) -> Engine:
    if synchronous not in _SYNCHRONOUS:
        raise ConfigError(f"database.sqlite_synchronous: expected one of {sorted(_SYNCHRONOUS)}")
    database = url.database or ""
    if database in ("", ":memory:"):
        raise ConfigError("an in-memory SQLite database cannot hold a log; give a file path")
    path = Path(database).expanduser()
    if path.exists():
        refuse_foreign_sqlite(path)
    elif not create:
        raise StorageError(
            f"no database at {path}; a command that writes creates it "
            "(`tracker db upgrade`, `tracker seed`, `tracker feeds add`)"
        )
    else:
        _create_private(path)
    engine = sa.create_engine(
        url.set(database=str(path)),
        json_serializer=dumps,
        json_deserializer=orjson.loads,
        connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
    )

    @sa.event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the driver so BEGIN IMMEDIATE is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        # A writer takes the write lock up front: no deadlock upgrading a read lock later.
        writes = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

    return engine


def _create_private(path: Path) -> None:
    """An empty file readable by its owner only, in a directory only its owner enters:
    the log holds whatever the feeds said, and feed state their addresses."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"{path.parent}: cannot create directory: {exc.strerror}") from None
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:
        raise StorageError(f"{path}: cannot create: {exc.strerror}") from None


def refuse_foreign_sqlite(path: Path) -> None:
    """Refuse a file that is not SQLite, or holds tables but no tracker schema, unchanged."""
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StorageError(f"{path}: cannot open: {exc}") from None
    try:
        tables = [
            str(row[0])
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
    except sqlite3.DatabaseError as exc:
        raise SchemaError(f"{path} is not an SQLite database ({exc}); refused") from None
    finally:
        conn.close()
    if tables and "alembic_version" not in tables:
        shown = ", ".join(sorted(tables)[:5])
        raise SchemaError(
            f"{path} is not a tracker database: it holds other tables ({shown}) and no "
            "tracker schema; refused, nothing changed"
        )


# Set while checking out a connection that must not be pinged first: see ``unpinged``.
_UNPINGED: ContextVar[bool] = ContextVar("tracker_unpinged", default=False)


@contextmanager
def unpinged() -> Iterator[None]:
    """Connections checked out inside skip the liveness ping on PostgreSQL.

    For a caller whose own first round trip writes nothing, tells a dead connection
    by it, and tries again on a pinged one: the event log's append.
    """
    token = _UNPINGED.set(True)
    try:
        yield
    finally:
        _UNPINGED.reset(token)


def _postgres_engine(url: URL) -> Engine:
    from psycopg.types.json import set_json_loads  # the driver, only when it is used

    engine = sa.create_engine(
        url,
        json_serializer=dumps,
        json_deserializer=orjson.loads,
        connect_args={
            "options": "-c timezone=UTC",
            "connect_timeout": 10,
            # Plans prepared while a table is small go stale as the log grows (seq scans).
            "prepare_threshold": None,
        },
    )
    dialect = engine.dialect

    @sa.event.listens_for(engine, "connect")
    def _fresh(dbapi_connection: Any, record: Any) -> None:
        record.info["fresh"] = True
        # jsonb read with orjson, as SQLite payloads are, not the standard library's json.
        set_json_loads(orjson.loads, dbapi_connection)

    @sa.event.listens_for(engine, "checkout")
    def _ping(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        # SQLAlchemy's pre-ping, but skipped where ``unpinged`` says: a ping costs a round
        # trip, and without it the service, whose reads run on the driver cursor, kept
        # meeting connections the server had closed.
        if record.info.pop("fresh", False) or _UNPINGED.get():
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as exc:
            if dialect.is_disconnect(exc, dbapi_connection, None):
                # Every pooled connection opened before this one is suspect too.
                raise sa.exc.InvalidatePoolError("connection closed by the server") from None
            raise

    return engine


@contextmanager
def write_transaction(engine: Engine, *, cache_kib: int | None = None) -> Iterator[Connection]:
    """A transaction that may write; on SQLite it holds the write lock from its start.

    Whatever the database raises in it (locked, full, gone) leaves as StorageError,
    after the rollback. ``cache_kib``: SQLite's page cache for this transaction only, for
    a large write into large indexes; the connection goes back to the pool with its own.
    """
    driver_errors = engine.dialect.loaded_dbapi.Error
    try:
        with engine.connect().execution_options(**{WRITE: True}) as conn:
            # On the driver connection: a statement through SQLAlchemy would begin.
            raw: Any = conn.connection.dbapi_connection
            roomy = cache_kib is not None and engine.dialect.name == "sqlite"
            if roomy:
                usual = int(raw.execute("PRAGMA cache_size").fetchone()[0])
                raw.execute(f"PRAGMA cache_size = -{int(cache_kib or 0)}")
            try:
                with conn.begin():
                    yield conn
            finally:
                if roomy:
                    raw.execute(f"PRAGMA cache_size = {usual}")
    except SQLAlchemyError as exc:
        raise StorageError(f"write failed: {describe(exc)}") from None
    except driver_errors as exc:
        lines = str(exc).strip().splitlines()
        raise StorageError(f"write failed: {lines[0] if lines else type(exc).__name__}") from None


def database_errors(engine: Engine) -> tuple[type[Exception], ...]:
    """What the database can raise through this engine: SQLAlchemy's errors, and the
    driver's own (sqlite3, psycopg) from SQL run straight on its cursor."""
    return (SQLAlchemyError, engine.dialect.loaded_dbapi.Error)


@contextmanager
def translated(engine: Engine, what: str) -> Iterator[None]:
    """Whatever the database raises in the block leaves as one StorageError saying ``what``."""
    try:
        yield
    except StorageError as exc:
        if type(exc) is not StorageError:
            raise  # a conflict or a schema mismatch keeps its kind
        raise StorageError(f"{what}: {exc}") from None
    except database_errors(engine) as exc:
        raise StorageError(f"{what}: {describe(exc)}") from None


def describe(exc: BaseException) -> str:
    """One line from a database or driver error, without SQL or parameters."""
    original = getattr(exc, "orig", None)
    text = str(original if original is not None else exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
