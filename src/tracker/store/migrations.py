"""Alembic is the only way the schema changes; this module drives it from code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from tracker.errors import SchemaError, StorageError
from tracker.store.engine import describe, write_transaction


def migrations_dir() -> Path:
    """The migration scripts: packaged in the wheel, else the source tree's ``alembic/``."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "_migrations"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "alembic"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return config


@dataclass(frozen=True)
class SchemaStatus:
    current: str | None
    head: str
    known: bool

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def schema_status(engine: Engine) -> SchemaStatus:
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot read schema version: {describe(exc)}") from None
    known = current is None or _is_known(script, current)
    return SchemaStatus(current=current, head=head, known=known)


def _is_known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises several types for an unknown revision id
        return False


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate to ``revision`` inside one write transaction (concurrent callers serialise)."""
    status = schema_status(engine)
    if not status.known:
        raise _newer(status)
    if status.current is None:
        _refuse_foreign(engine)
    config = alembic_config()
    try:
        with write_transaction(engine) as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
    except SQLAlchemyError as exc:
        raise StorageError(f"migration failed: {describe(exc)}") from None


def ensure_schema(engine: Engine, *, auto_upgrade: bool) -> None:
    """Refuse a schema this code does not speak; migrate an embedded database on first use."""
    status = schema_status(engine)
    if not status.known:
        raise _newer(status)
    if status.up_to_date:
        return
    if auto_upgrade:
        upgrade(engine)
        return
    if status.current is None:
        raise SchemaError("the database has no tracker schema yet; run `tracker db upgrade`")
    raise SchemaError(
        f"the database schema ({status.current}) is older than this tracker ({status.head}); "
        "run `tracker db upgrade`"
    )


def _refuse_foreign(engine: Engine) -> None:
    """A database with tables but no tracker schema is another application's: refused."""
    try:
        with engine.connect() as conn:
            tables = sorted(sa.inspect(conn).get_table_names())
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot read the database's tables: {describe(exc)}") from None
    if tables:
        raise SchemaError(
            "not a tracker database: it holds other tables "
            f"({', '.join(tables[:5])}) and no tracker schema; refused, nothing changed"
        )


def _newer(status: SchemaStatus) -> SchemaError:
    return SchemaError(
        f"the database schema ({status.current}) is newer than this tracker knows "
        f"(head {status.head}); upgrade tracker instead of using this version"
    )
