"""Dialect-aware pieces for SQL run straight on the driver cursor (the hot paths)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from tracker.errors import StorageError
from tracker.store.engine import describe, dumps
from tracker.store.schema import stored_time, utc_text


class Driver:
    """Placeholders and value encoding for one engine's driver (sqlite3 or psycopg)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"
        self.mark = "%s" if self.postgres else "?"
        self.json_mark = "%s::jsonb" if self.postgres else "?"
        self.errors: type[Exception] = engine.dialect.loaded_dbapi.Error

    def marks(self, count: int) -> str:
        return ", ".join([self.mark] * count)

    def time(self, value: datetime | None) -> Any:
        if value is None:
            return None
        return value.astimezone(UTC) if self.postgres else utc_text(value)

    def time_text(self, text: str | None) -> Any:
        """An ISO datetime from an event payload, in this driver's storage form."""
        if text is None:
            return None
        if not self.postgres and len(text) == 32 and text.endswith("+00:00"):
            return text  # payloads keep UTC at microsecond precision: already the stored form
        return self.time(datetime.fromisoformat(text))

    def uuid(self, text: str) -> Any:
        """An event id as the events table stores it (SQLite: its 16 bytes)."""
        value = uuid.UUID(text)
        return value if self.postgres else value.bytes

    @staticmethod
    def json(value: Any) -> str:
        return dumps(value)

    read_time = staticmethod(stored_time)

    def read_json(self, value: Any) -> Any:
        return (
            orjson.loads(value) if isinstance(value, str | bytes) and not self.postgres else value
        )

    def upsert(
        self,
        table: str,
        columns: Sequence[str],
        keys: Sequence[str],
        json_columns: Sequence[str] = (),
    ) -> str:
        """INSERT ... ON CONFLICT DO UPDATE, spelled the same on SQLite and PostgreSQL."""
        values = ", ".join(self.json_mark if c in json_columns else self.mark for c in columns)
        return (
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({values}) "
            f"{self.on_conflict_update(columns, keys)}"
        )

    @staticmethod
    def on_conflict_update(columns: Sequence[str], keys: Sequence[str]) -> str:
        """The upsert's tail: a row whose keys are taken replaces the other columns."""
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in keys)
        return f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"

    @contextmanager
    def cursor(self, conn: Connection) -> Iterator[Any]:
        cursor = conn.connection.cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one read on a fresh connection; driver errors become StorageError."""
        with self.reading() as cursor:
            cursor.execute(sql, tuple(params))
            return list(cursor.fetchall())

    @contextmanager
    def reading(self) -> Iterator[Any]:
        """A driver cursor for several reads on one connection and one snapshot (an answer
        is several seeks: a write committed between two of them must not be half seen);
        errors become StorageError."""
        try:
            with self.engine.connect() as conn:
                if self.postgres:
                    conn = conn.execution_options(isolation_level="REPEATABLE READ")
                with conn.begin(), self.cursor(conn) as cursor:
                    yield cursor
        except SQLAlchemyError as exc:
            raise StorageError(f"read failed: {describe(exc)}") from None
        except self.errors as exc:
            raise StorageError(f"read failed: {first_line(exc)}") from None


def first_line(exc: BaseException) -> str:
    if isinstance(exc, SQLAlchemyError):
        return describe(exc)
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
