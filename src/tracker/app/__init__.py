"""Use cases: one function per thing a user does.

Read use cases return plain, JSON-ready dictionaries (the shapes the README
documents); the CLI prints them as text or as JSON.
"""

from tracker.app.alerts import deliver_alerts, list_alerts, send_test_alert
from tracker.app.base import HEARTBEAT_SECONDS, Clock, Tracker
from tracker.app.corrections import CORRECTIONS, assert_fact, editor_login, retract
from tracker.app.feeds import (
    add_feed,
    database_shown,
    feed_view,
    incoming_document,
    ingest_file,
    list_feeds,
    poll,
    poll_feed,
    remove_feed,
    store_fetched,
    sync_config_feeds,
)
from tracker.app.opml import export_opml, import_opml, save_export
from tracker.app.service import service_status
from tracker.app.stories import NewQuestion, add_question, add_story
from tracker.app.story import (
    answer_view,
    ask,
    catch_up,
    database_status,
    event_view,
    events,
    fact_view,
    history,
    projection_status,
    rebuild,
    replay,
    seed,
    state,
    statements,
    upgrade_database,
)
from tracker.app.timeline import stories, story_of, story_view

__all__ = [
    "CORRECTIONS",
    "HEARTBEAT_SECONDS",
    "Clock",
    "NewQuestion",
    "Tracker",
    "add_feed",
    "add_question",
    "add_story",
    "answer_view",
    "ask",
    "assert_fact",
    "catch_up",
    "database_shown",
    "database_status",
    "deliver_alerts",
    "editor_login",
    "event_view",
    "events",
    "export_opml",
    "fact_view",
    "feed_view",
    "history",
    "import_opml",
    "incoming_document",
    "ingest_file",
    "list_alerts",
    "list_feeds",
    "poll",
    "poll_feed",
    "projection_status",
    "rebuild",
    "remove_feed",
    "replay",
    "retract",
    "save_export",
    "seed",
    "send_test_alert",
    "service_status",
    "state",
    "statements",
    "store_fetched",
    "stories",
    "story_of",
    "story_view",
    "sync_config_feeds",
    "upgrade_database",
]
