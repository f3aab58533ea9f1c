"""Reading a database under test directly, by URL or engine: one row, one count."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tracker.store.engine import make_engine


def one_row(db: str | sa.Engine, sql: str, **params: object) -> sa.Row[Any]:
    """The one row ``sql`` returns; a URL gets an engine of its own, disposed afterwards."""
    engine = make_engine(db) if isinstance(db, str) else db
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql), params).one()
    finally:
        if isinstance(db, str):
            engine.dispose()


def count(db: str | sa.Engine, sql: str, **params: object) -> int:
    """The number in the first column of the one row ``sql`` returns (NULL counts as 0)."""
    return int(one_row(db, sql, **params)[0] or 0)


def documents_and_streams(url: str) -> tuple[int, int]:
    """DocumentIngested events in the log, and the streams they are in: equal when no
    entry was stored twice."""
    ingested, streams = one_row(
        url,
        "SELECT count(*), count(DISTINCT stream) FROM events WHERE type = 'DocumentIngested'",
    )
    return int(ingested), int(streams)
