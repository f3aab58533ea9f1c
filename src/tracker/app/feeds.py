"""Following feeds: add, list, remove, and the feeds config/feeds.toml declares."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from tracker.app.base import Tracker
from tracker.config import FEEDS_FILE, load_feed_declarations
from tracker.domain.feeds import Feed, clean_tags, parse_every
from tracker.errors import ConfigError, InputError
from tracker.ingest.fetch import check_feed_url, redact_url
from tracker.store.schema import NAME_LENGTH, URL_LENGTH


def feed_view(feed: Feed) -> dict[str, Any]:
    def iso(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "name": feed.name,
        # Feeds added before credentials were refused may still carry them: never shown.
        "url": redact_url(feed.url),
        "added_url": redact_url(feed.added_url),
        "every_seconds": feed.every_seconds,
        "origin": feed.origin,
        "state": "active" if feed.active else "gone",
        "next_due_at": iso(feed.next_due_at) if feed.active else None,
        "last_success_at": iso(feed.last_success_at),
        "last_error": feed.last_error,
        "last_error_at": iso(feed.last_error_at),
        "last_status": feed.last_status,
        "consecutive_failures": feed.consecutive_failures,
        "tags": list(feed.tags),
        "full_text": feed.full_text,
    }


def default_feed_name(url: str, taken: set[str]) -> str:
    parts = urlsplit(url)
    base = re.sub(r"[^a-z0-9]+", "-", f"{parts.hostname or 'feed'}{parts.path}".lower()).strip("-")
    base = base[:80] or "feed"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


def feed_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be followed, or None: the one check every way in goes through."""
    problem = check_feed_url(url)
    if problem is None and len(url) > URL_LENGTH:
        problem = f"invalid URL: over {URL_LENGTH} characters"
    return problem


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a feed, or None.

    A name is typed back to poll or remove the feed: one with a control character,
    an invisible one or surrounding spaces could not be, as it is printed.
    """
    if len(name) > NAME_LENGTH:
        return f"feed name over {NAME_LENGTH} characters"
    if not name.strip():
        return f"feed name {name!r} is empty"
    if not name.isprintable() or name != name.strip():
        return f"feed name {name!r} has control or invisible characters or surrounding spaces"
    return None


def add_feed(
    tracker: Tracker,
    url: str,
    *,
    name: str | None = None,
    every: str | None = None,
    origin: str = "cli",
    tags: tuple[str, ...] = (),
    full_text: bool = False,
) -> dict[str, Any]:
    """Start following a feed; it is polled by `tracker poll` and the service."""
    problem = feed_url_problem(url)
    if problem:
        raise InputError(problem)
    try:
        seconds = parse_every(every) if every else tracker.settings.service.default_every_seconds
    except ValueError as exc:
        raise InputError(f"--every: {exc}") from None
    try:
        tags = clean_tags(tags)
    except ValueError as exc:
        raise InputError(f"--tag: {exc}") from None
    existing = tracker.feeds.all()
    if any(url in (f.url, f.added_url) for f in existing):
        raise InputError(f"already following {url}")
    if name is not None and (problem := name_problem(name)):
        raise InputError(problem)
    if name is not None and any(f.name == name for f in existing):
        raise InputError(f"feed name {name!r} is already taken")
    chosen = name or default_feed_name(url, {f.name for f in existing})
    feed = tracker.feeds.add(
        name=chosen,
        url=url,
        every=seconds,
        origin=origin,
        now=tracker.clock(),
        tags=tags,
        full_text=full_text,
    )
    return feed_view(feed)


def list_feeds(tracker: Tracker, *, sync: bool = True) -> list[dict[str, Any]]:
    """Every feed with its health: last success, last error, failures, next poll.

    ``sync`` first adds the feeds config/feeds.toml declares; the read-only web
    service passes False and shows the feeds table as it is.
    """
    if sync:
        sync_config_feeds(tracker)
    return [feed_view(f) for f in tracker.feeds.all()]


def remove_feed(tracker: Tracker, name_or_url: str) -> dict[str, Any]:
    """Stop following a feed. Documents it brought stay in the log."""
    feed = tracker.feeds.get(name_or_url)
    if feed is None:
        raise InputError(f"no feed named or at {name_or_url!r}")
    tracker.feeds.remove(feed.id)
    return feed_view(feed)


def sync_config_feeds(tracker: Tracker) -> list[str]:
    """Add feeds declared in config/feeds.toml; drop config feeds no longer declared."""
    declared = load_feed_declarations(tracker.settings.config_dir)
    for index, item in enumerate(declared):
        where = f"{tracker.settings.config_dir / FEEDS_FILE}: feeds[{index}]"
        if problem := feed_url_problem(item.url):
            raise ConfigError(f"{where}.url: {problem}")
        if item.name is not None and (problem := name_problem(item.name)):
            raise ConfigError(f"{where}.name: {problem}")
        try:
            if item.every:
                parse_every(item.every)
        except ValueError as exc:
            raise ConfigError(f"{where}.every: {exc}") from None
        try:
            clean_tags(item.tags)
        except ValueError as exc:
            raise ConfigError(f"{where}.tags: {exc}") from None
    followed = tracker.feeds.all()
    # A feed that moved permanently is still the one its declaration added.
    current = {f.url: f for f in followed} | {f.added_url: f for f in followed}
    added = []
    for index, item in enumerate(declared):
        feed = current.get(item.url)
        if feed is None:
            try:
                add_feed(
                    tracker,
                    item.url,
                    name=item.name,
                    every=item.every,
                    origin="config",
                    tags=item.tags,
                    full_text=item.full_text,
                )
            except InputError as exc:
                where = f"{tracker.settings.config_dir / FEEDS_FILE}: feeds[{index}]"
                raise ConfigError(f"{where}: {exc}") from None
            added.append(item.url)
        elif feed.origin == "config":
            seconds = parse_every(item.every) if item.every else feed.every_seconds
            tags = clean_tags(item.tags)
            if (seconds, tags, item.full_text) != (feed.every_seconds, feed.tags, feed.full_text):
                tracker.feeds.update_options(
                    feed.id, every=seconds, tags=tags, full_text=item.full_text
                )
    urls = {item.url for item in declared}
    for feed in followed:
        if feed.origin == "config" and feed.added_url not in urls and feed.url not in urls:
            tracker.feeds.remove(feed.id)
    return added
