"""What every use case works with: the composed tracker, built by ``bootstrap``."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.engine import Engine

from tracker.config import Settings, Story
from tracker.ingest.articles import HostPacer
from tracker.ingest.extract import Extractor
from tracker.ingest.fetch import Fetcher
from tracker.notify.config import AlertChannel
from tracker.projections.queries import StoryQueries
from tracker.projections.runner import ProjectionRunner
from tracker.store.alerts import AlertStore
from tracker.store.claims import ClaimStore
from tracker.store.feeds import FeedStore
from tracker.store.log import EventLog
from tracker.store.runs import RunStore

Clock = Callable[[], datetime]
HEARTBEAT_SECONDS = 10
_log = logging.getLogger("tracker")
# The service configures JSON lines; elsewhere (the CLI prints its results) log nothing
# rather than fall back to bare messages on stderr.
_log.addHandler(logging.NullHandler())


@dataclass
class Tracker:
    """Everything a use case needs, built once per process by ``bootstrap``."""

    settings: Settings
    # The catalogue: every question of every story (what extraction and projections use).
    story: Story
    url: str
    log: EventLog
    runner: ProjectionRunner
    queries: StoryQueries
    feeds: FeedStore
    # Which service run polls which feed; the service runs themselves.
    claims: ClaimStore
    runs: RunStore
    fetcher: Fetcher
    extractor: Extractor
    clock: Clock
    alerts: AlertStore
    alert_channels: tuple[AlertChannel, ...]
    # Where channel secrets are read from, by the names alerts.toml gives.
    environ: Mapping[str, str]
    # Turns at each host for the articles full-text feeds link to, shared by every poll.
    pacer: HostPacer
    # Set when the service is asked to stop: long work (reading articles) ends early.
    stopping: threading.Event = field(default_factory=threading.Event)
    # Each story in force, as configured (config/stories/ID.toml).
    stories: tuple[Story, ...] = ()

    @property
    def engine(self) -> Engine:
        return self.log.engine

    def close(self) -> None:
        self.log.engine.dispose()
