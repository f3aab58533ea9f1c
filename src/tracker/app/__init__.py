"""Use cases: one function per thing a user does.

Read use cases return plain, JSON-ready dictionaries (the shapes the README
documents); the CLI prints them as text or as JSON.
"""

from tracker.app.alerts import deliver_alerts, list_alerts, send_test_alert
from tracker.app.article_files import ingest_file
from tracker.app.base import HEARTBEAT_SECONDS, Clock, Tracker
from tracker.app.corrections import CORRECTIONS, assert_fact, editor_login, retract
from tracker.app.database import (
    catch_up,
    database_shown,
    database_status,
    projection_status,
    rebuild,
    upgrade_database,
    views_behind,
)
from tracker.app.entries import incoming_document
from tracker.app.feeds import add_feed, feed_view, list_feeds, remove_feed, sync_config_feeds
from tracker.app.opml import export_opml, import_opml, save_export
from tracker.app.polling import poll, poll_feed, store_fetched
from tracker.app.questions import NewQuestion, add_question
from tracker.app.replay import replay
from tracker.app.service import service_status
from tracker.app.stories import add_story
from tracker.app.story import (
    answer_view,
    ask,
    event_view,
    events,
    fact_view,
    history,
    seed,
    state,
    statements,
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
    "views_behind",
]
