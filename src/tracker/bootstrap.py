"""The composition root: the one place that reads settings and builds engines and stores."""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import httpx
import platformdirs
from sqlalchemy.engine import Engine

from tracker.app import Clock, Tracker
from tracker.config import Settings, Story, catalogue, load_settings, load_stories
from tracker.domain.log import Upcasters
from tracker.domain.upcasting import UPCASTERS
from tracker.ingest.articles import HostPacer
from tracker.ingest.extract import (
    Extractor,
    NoExtraction,
    RuleExtractor,
    load_extraction_config,
)
from tracker.ingest.fetch import Fetcher
from tracker.notify.config import load_alert_channels
from tracker.projections.alerts import AlertsProjection
from tracker.projections.queries import StoryQueries
from tracker.projections.runner import ProjectionRunner
from tracker.projections.views import TimelineReader, projections_for
from tracker.store.alerts import AlertStore
from tracker.store.claims import ClaimStore
from tracker.store.driver import Driver
from tracker.store.engine import make_engine, parse_url
from tracker.store.feeds import FeedStore
from tracker.store.log import EventLog
from tracker.store.migrations import ensure_schema
from tracker.store.runs import RunStore


def utc_now() -> datetime:
    return datetime.now(UTC)


def default_database_path() -> Path:
    return platformdirs.user_data_path("tracker") / "tracker.db"


def database_url(settings: Settings) -> str:
    """``--db`` / ``TRACKER_DATABASE_URL`` / config, else the embedded SQLite file."""
    return settings.database.url or f"sqlite:///{default_database_path()}"


def default_extractor(settings: Settings, story: Story) -> Extractor:
    """The rule extractor from config; its language model loads on first use."""
    if not settings.extract.enabled:
        return NoExtraction()
    questions = frozenset(q.id for q in story.questions)
    return RuleExtractor(story, load_extraction_config(settings.config_dir, questions))


def bootstrap(
    *,
    settings: Settings | None = None,
    config_dir: str | Path | None = None,
    db_url: str | None = None,
    environ: Mapping[str, str] | None = None,
    clock: Clock = utc_now,
    upcasters: Upcasters = UPCASTERS,
    check_schema: bool = True,
    create: bool = True,
    transport: httpx.BaseTransport | None = None,
    extractor: Extractor | None = None,
) -> Tracker:
    """Build a tracker. A fresh or older embedded database is migrated here.

    ``create=False`` (read commands) refuses a database that does not exist yet
    instead of creating it.
    """
    if settings is None:
        settings = load_settings(
            config_dir=config_dir,
            environ=environ,
            overrides={"database": {"url": db_url}},
        )
    url = database_url(settings)
    stories = load_stories(settings.config_dir)
    story = catalogue(stories)
    channels = load_alert_channels(settings.config_dir)
    engine = _engine(settings, url, create=create, check_schema=check_schema)
    log = EventLog(engine, clock=clock, upcasters=upcasters)
    driver = Driver(engine)
    reader = TimelineReader(driver, upcasters)
    alerts = AlertsProjection(
        driver, [(s.id, s.title, s.questions) for s in stories], channels, reader, clock
    )
    projections = [*projections_for(driver, story.questions, reader), alerts]
    runner = ProjectionRunner(log, projections, clock=clock)
    stopping = threading.Event()
    return Tracker(
        settings=settings,
        story=story,
        stories=stories,
        url=url,
        log=log,
        runner=runner,
        queries=StoryQueries(driver, reader),
        feeds=FeedStore(engine),
        claims=ClaimStore(engine),
        runs=RunStore(engine),
        fetcher=Fetcher(settings.fetch, transport=transport),
        extractor=extractor or default_extractor(settings, story),
        clock=clock,
        alerts=AlertStore(engine),
        alert_channels=channels,
        environ=os.environ if environ is None else environ,
        pacer=HostPacer(settings.articles.host_delay_seconds, stopping=stopping),
        stopping=stopping,
    )


def _engine(settings: Settings, url: str, *, create: bool, check_schema: bool) -> Engine:
    """The database's engine; an embedded database is migrated when its schema is older."""
    engine = make_engine(
        url,
        synchronous=settings.database.sqlite_synchronous,
        busy_timeout_ms=settings.database.busy_timeout_ms,
        create=create,
    )
    if check_schema:
        embedded = parse_url(url).get_backend_name() == "sqlite"
        try:
            ensure_schema(engine, auto_upgrade=embedded)
        except BaseException:
            engine.dispose()
            raise
    return engine
