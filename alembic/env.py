"""Alembic environment: tracker's tables are the target; SQLite migrates in batch mode."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context
from sqlalchemy.engine import Connection

from tracker.store.schema import metadata

# Serialises concurrent `db upgrade` runs on PostgreSQL (SQLite holds its write lock).
_MIGRATION_LOCK = 7_346_104_201


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
        context.run_migrations()


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("db")
    if url:
        return url
    from tracker.bootstrap import database_url
    from tracker.config import load_settings

    return database_url(load_settings())


def main() -> None:
    given = context.config.attributes.get("connection")
    if given is not None:
        _run(given)
        return
    from tracker.store.engine import make_engine, write_transaction

    engine = make_engine(_url())
    try:
        with write_transaction(engine) as connection:
            _run(connection)
    finally:
        engine.dispose()


main()
