"""The database under the tracker: its schema, and the projections kept from its log."""

from __future__ import annotations

from typing import Any

from tracker.app.base import Tracker
from tracker.errors import InputError
from tracker.store import migrations
from tracker.store.engine import redact_database_url


def upgrade_database(tracker: Tracker) -> migrations.SchemaStatus:
    """Migrate the database to the newest schema this tracker knows."""
    migrations.upgrade(tracker.engine)
    return migrations.schema_status(tracker.engine)


def database_status(tracker: Tracker) -> migrations.SchemaStatus:
    """Which schema revision the database is at, and whether it is the newest."""
    return migrations.schema_status(tracker.engine)


def database_shown(tracker: Tracker) -> str:
    """The database this tracker uses, fit to print (any password hidden)."""
    return redact_database_url(tracker.url)


def catch_up(tracker: Tracker) -> dict[str, int]:
    """Bring every projection up to the end of the log."""
    return tracker.runner.catch_up()


def views_behind(tracker: Tracker) -> int:
    """How many events of the log the slowest projection has yet to apply (0: current).

    Reads answer from the projections as they stand; every write catches them up before
    it returns, so this is more than 0 only when one did not get to (it was killed), when
    another service process polled and the leader has not caught up yet, or when a
    projection stopped on an event.
    """
    return max((s.behind for s in tracker.runner.status()), default=0)


def rebuild(tracker: Tracker, names: list[str] | None = None) -> dict[str, int]:
    """Drop projections and replay the whole log into them.

    Needed after a change to projection code or to the questions in config.
    """
    unknown = sorted(set(names or ()) - set(tracker.runner.names()))
    if unknown:
        raise InputError(
            f"unknown projection {unknown[0]!r}; known: {', '.join(tracker.runner.names())}"
        )
    return tracker.runner.rebuild(names or None)


def projection_status(tracker: Tracker) -> list[dict[str, Any]]:
    """Each projection's checkpoint, how far behind the log it is, and why it stopped."""
    return [
        {"name": s.name, "position": s.position, "behind": s.behind, "error": s.error}
        for s in tracker.runner.status()
    ]
