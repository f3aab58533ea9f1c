"""Use cases: one function per thing a user does."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine

from tracker.config import Settings
from tracker.store import migrations
from tracker.store.log import EventLog

Clock = Callable[[], datetime]


@dataclass
class Tracker:
    """Everything a use case needs, built once per process by ``bootstrap``."""

    settings: Settings
    url: str
    log: EventLog
    clock: Clock

    @property
    def engine(self) -> Engine:
        return self.log.engine

    def close(self) -> None:
        self.log.engine.dispose()


def upgrade_database(tracker: Tracker) -> migrations.SchemaStatus:
    """Migrate the database to the newest schema this tracker knows."""
    migrations.upgrade(tracker.engine)
    return migrations.schema_status(tracker.engine)


def database_status(tracker: Tracker) -> migrations.SchemaStatus:
    """Which schema revision the database is at, and whether it is the newest."""
    return migrations.schema_status(tracker.engine)
