"""Following feeds: add, list, remove, and the feeds config/feeds.toml declares."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tracker.app.base import Tracker
from tracker.config import FEEDS_FILE, FeedDeclaration, load_feed_declarations
from tracker.domain.feeds import Feed, FeedOrigin, clean_tags, feed_host, parse_every
from tracker.errors import ConfigError, InputError
from tracker.ingest.urls import check_feed_url, redact_url
from tracker.store.feeds import NewFeed
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


def _new_feed(
    tracker: Tracker,
    url: str,
    *,
    followed_urls: set[str],
    taken_names: set[str],
    name: str | None,
    every: str | None,
    tags: tuple[str, ...],
    full_text: bool,
) -> NewFeed:
    """A feed about to be followed, checked against the ones already followed."""
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
    if url in followed_urls:
        raise InputError(f"already following {url}")
    if name is not None and (problem := name_problem(name)):
        raise InputError(problem)
    if name is not None and name in taken_names:
        raise InputError(f"feed name {name!r} is already taken")
    chosen = name or default_feed_name(url, taken_names)
    return NewFeed(chosen, url, seconds, tags, full_text)


def add_feed(
    tracker: Tracker,
    url: str,
    *,
    name: str | None = None,
    every: str | None = None,
    origin: FeedOrigin = "cli",
    tags: tuple[str, ...] = (),
    full_text: bool = False,
) -> dict[str, Any]:
    """Start following a feed; it is polled by `tracker poll` and the service."""
    existing = tracker.feeds.all()
    new = _new_feed(
        tracker,
        url,
        followed_urls={f.url for f in existing} | {f.added_url for f in existing},
        taken_names={f.name for f in existing},
        name=name,
        every=every,
        tags=tags,
        full_text=full_text,
    )
    feed = tracker.feeds.add(
        name=new.name,
        url=new.url,
        every=new.every,
        origin=origin,
        now=tracker.clock(),
        tags=new.tags,
        full_text=new.full_text,
    )
    return feed_view(feed)


def list_feeds(tracker: Tracker, *, declared: bool = True) -> list[dict[str, Any]]:
    """Every feed with its health: last success, last error, failures, next poll.

    ``declared`` shows the feeds as config/feeds.toml declares them, read without
    writing: a feed it adds is listed before the next poll or service tick stores it.
    The read-only web service passes False and shows the feeds table as it is.
    """
    feeds = declared_feeds(tracker) if declared else tracker.feeds.all()
    return [feed_view(f) for f in feeds]


def remove_feed(tracker: Tracker, name_or_url: str) -> dict[str, Any]:
    """Stop following a feed. Documents it brought stay in the log."""
    feed = tracker.feeds.get(name_or_url)
    if feed is None:
        raise InputError(f"no feed named or at {name_or_url!r}")
    tracker.feeds.remove(feed.id)
    return feed_view(feed)


@dataclass(frozen=True)
class FeedsPlan:
    """What reconciling the feeds table with config/feeds.toml changes, every item checked."""

    followed: tuple[Feed, ...]
    add: tuple[NewFeed, ...]
    # Config feeds whose interval, tags or full-text option the file changed, as changed.
    change: tuple[Feed, ...]
    drop: tuple[Feed, ...]


def plan_config_feeds(tracker: Tracker) -> FeedsPlan:
    """Read config/feeds.toml and the feeds table and say what reconciling them changes.

    Writes nothing; a declaration that could not be followed is a ConfigError naming
    the file and the item, before anything is changed.
    """
    declared = load_feed_declarations(tracker.settings.config_dir)
    _check_declarations(tracker.settings.config_dir / FEEDS_FILE, declared)
    followed = tuple(tracker.feeds.all())
    # A feed that moved permanently is still the one its declaration added.
    current = {f.url: f for f in followed} | {f.added_url: f for f in followed}
    followed_urls = set(current)
    taken_names = {f.name for f in followed}
    add: list[NewFeed] = []
    change: list[Feed] = []
    for index, item in enumerate(declared):
        feed = current.get(item.url)
        if feed is None:
            try:
                new = _new_feed(
                    tracker,
                    item.url,
                    followed_urls=followed_urls,
                    taken_names=taken_names,
                    name=item.name,
                    every=item.every,
                    tags=item.tags,
                    full_text=item.full_text,
                )
            except InputError as exc:
                where = f"{tracker.settings.config_dir / FEEDS_FILE}: feeds[{index}]"
                raise ConfigError(f"{where}: {exc}") from None
            add.append(new)
            followed_urls.add(new.url)
            taken_names.add(new.name)
        elif feed.origin == "config":
            seconds = parse_every(item.every) if item.every else feed.every_seconds
            tags = clean_tags(item.tags)
            if (seconds, tags, item.full_text) != (feed.every_seconds, feed.tags, feed.full_text):
                change.append(
                    replace(feed, every_seconds=seconds, tags=tags, full_text=item.full_text)
                )
    urls = {item.url for item in declared}
    drop = tuple(
        feed
        for feed in followed
        if feed.origin == "config" and feed.added_url not in urls and feed.url not in urls
    )
    return FeedsPlan(followed, tuple(add), tuple(change), drop)


def _check_declarations(path: Path, declared: tuple[FeedDeclaration, ...]) -> None:
    """A ConfigError naming the item of ``path`` whose URL, name, interval or tags are wrong."""
    for index, item in enumerate(declared):
        where = f"{path}: feeds[{index}]"
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


def declared_feeds(tracker: Tracker) -> list[Feed]:
    """The feeds as they will be once config/feeds.toml is reconciled, without writing."""
    plan = plan_config_feeds(tracker)
    changed = {f.id: f for f in plan.change}
    dropped = {f.id for f in plan.drop}
    now = tracker.clock()
    kept = [changed.get(f.id, f) for f in plan.followed if f.id not in dropped]
    # Not stored yet: shown as the first poll will find them (due now, never polled).
    pending = [
        Feed(
            id=0,
            name=new.name,
            url=new.url,
            added_url=new.url,
            every_seconds=new.every,
            origin="config",
            active=True,
            etag=None,
            last_modified=None,
            next_due_at=now,
            consecutive_failures=0,
            last_success_at=None,
            last_error=None,
            last_error_at=None,
            last_status=None,
            created_at=now,
            tags=new.tags,
            full_text=new.full_text,
            host=feed_host(new.url),
        )
        for new in plan.add
    ]
    if not pending:
        return kept
    return sorted([*kept, *pending], key=lambda f: f.name)


def sync_config_feeds(tracker: Tracker) -> list[str]:
    """Add feeds declared in config/feeds.toml; drop config feeds no longer declared.

    Every declaration is checked before anything is written; the feeds it adds are
    added in one transaction.
    """
    plan = plan_config_feeds(tracker)
    tracker.feeds.add_many(list(plan.add), origin="config", now=tracker.clock())
    for feed in plan.change:
        tracker.feeds.update_options(
            feed.id, every=feed.every_seconds, tags=feed.tags, full_text=feed.full_text
        )
    for feed in plan.drop:
        tracker.feeds.remove(feed.id)
    return [new.url for new in plan.add]
