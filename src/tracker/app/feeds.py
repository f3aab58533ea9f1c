"""Use cases of feeds and articles: follow, poll, ingest, and the service's status."""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from tracker.app.articles import ArticleReads, ArticleText
from tracker.app.base import Tracker, _log
from tracker.config import FEEDS_FILE, load_feed_declarations
from tracker.domain.documents import (
    bounded,
    content_hash,
    current_document,
    document_id,
    plain_text,
    plan_document,
    stream_for,
)
from tracker.domain.events import (
    DocumentIngested,
)
from tracker.domain.feeds import (
    Feed,
    PollOutcome,
    clean_tags,
    entry_identity,
    next_schedule,
    normalise_link,
    parse_every,
)
from tracker.domain.log import NO_STREAM, ExpectedVersion, NewEvent, StreamBatch
from tracker.errors import ClaimLostError, ConcurrencyError, ConfigError, InputError
from tracker.ingest.fetch import FetchResult, check_feed_url, redact_url
from tracker.ingest.parse import FeedEntry, FeedParseError, parse_feed
from tracker.store.engine import redact_database_url, write_transaction
from tracker.store.feeds import PollRecord
from tracker.store.schema import NAME_LENGTH, URL_LENGTH

# -- feeds ---------------------------------------------------------------------------------


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


def poll(
    tracker: Tracker, *, feed_name: str | None = None, due_only: bool = False
) -> list[dict[str, Any]]:
    """Poll feeds now, once (one feed, the due ones, or all active), then catch projections up."""
    sync_config_feeds(tracker)
    if feed_name is not None:
        feed = tracker.feeds.get(feed_name)
        if feed is None:
            raise InputError(f"no feed named or at {feed_name!r}")
        chosen = [feed]
    else:
        now = tracker.clock()
        chosen = [
            f for f in tracker.feeds.all() if f.active and (not due_only or f.next_due_at <= now)
        ]
    results = [poll_feed(tracker, feed) for feed in chosen]
    if any(r["new"] or r["revised"] for r in results):
        tracker.runner.catch_up()
    return results


def poll_feed(
    tracker: Tracker, feed: Feed, *, claim: int | None = None, jitter: float = 0.0
) -> dict[str, Any]:
    """Fetch, parse and store one feed. A failure is recorded on the feed, never raised.

    Whatever goes wrong inside one feed's poll (a parser, extraction or the store
    choking on what it sent) is that feed's failure: recorded with its backoff so the
    other feeds and the next polls go on. Only a failure to record it is raised, and
    ClaimLostError when ``claim`` (the polling service run) no longer holds the feed.
    ``jitter`` seconds are added to the next due time, so feeds spread out.
    """
    started = tracker.clock()
    try:
        fetched = tracker.fetcher.fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        return store_fetched(tracker, feed, fetched, started=started, claim=claim, jitter=jitter)
    except ClaimLostError:
        raise
    except Exception as exc:  # any failure of one feed is recorded on it
        failed = FetchResult("error", error=f"{type(exc).__name__}: {_one_line(exc)}")
        return store_fetched(tracker, feed, failed, started=started, claim=claim, jitter=jitter)


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return (lines[0] if lines else "")[:500]


def store_fetched(
    tracker: Tracker,
    feed: Feed,
    fetched: FetchResult,
    *,
    started: datetime,
    attempts: int = 3,
    claim: int | None = None,
    jitter: float = 0.0,
) -> dict[str, Any]:
    """Parse what a fetch returned and store its documents with the feed's new state.

    One transaction holds both, and a service's poll releases its claim on the feed in
    it: the documents, the next due time and the release commit together or not at all.
    """
    kind, error = fetched.kind, fetched.error
    entries: tuple[FeedEntry, ...] = ()
    warning = None
    if kind == "ok":
        try:
            parsed = parse_feed(fetched.body, fetched.headers)
            entries, warning = parsed.entries, parsed.warning
        except FeedParseError as exc:
            kind, error = "error", str(exc)
    articles = ArticleReads(tracker)
    for attempt in range(attempts):
        try:
            batches = _plan_entries(tracker, feed, entries, started, articles)
            finished = tracker.clock()
            outcome = PollOutcome(kind, fetched.retry_after, fetched.max_age)
            schedule = next_schedule(
                outcome,
                now=finished,
                every=feed.every_seconds,
                failures=feed.consecutive_failures,
                max_backoff=tracker.settings.service.max_backoff_seconds,
            )
            unread = _unread_articles(articles)
            notes = "; ".join(filter(None, (warning, unread)))
            if jitter:
                schedule = replace(schedule, next_due=schedule.next_due + timedelta(seconds=jitter))
            noted = error or (f"warning: {notes}" if notes else None)
            with write_transaction(tracker.engine) as conn:
                stored = tracker.log.append_in(conn, batches).appended_ids if batches else set()
                # Counted from what this poll stored: a document another process stored
                # first is not new here.
                firsts = [b for b in batches if b.events[0].event_id in stored]
                new = sum(1 for b in firsts if b.expected_version is NO_STREAM)
                revised = len(firsts) - new
                record = PollRecord(
                    feed.id,
                    started,
                    finished,
                    kind,
                    fetched.status,
                    len(entries),
                    new,
                    revised,
                    noted,
                )
                move = tracker.feeds.record_poll(
                    conn,
                    feed,
                    record,
                    schedule,
                    etag=fetched.etag,
                    last_modified=fetched.last_modified,
                    moved_to=fetched.moved_to,
                    claimed_by=claim,
                )
            break
        except ConcurrencyError:
            # Another process stored one of these documents meanwhile: plan again from the log.
            if attempt == attempts - 1:
                raise
    summary: dict[str, Any] = {
        "feed": feed.name,
        "outcome": kind,
        "status": fetched.status,
        "entries": len(entries),
        "new": new,
        "revised": revised,
        "error": error,
        "warning": "; ".join(filter(None, (warning, move.refused, unread))) or None,
        "moved_to": move.moved_to and redact_url(move.moved_to),
        "next_due_at": schedule.next_due.isoformat() if schedule.active else None,
        "ms": round((finished - started).total_seconds() * 1000),
    }
    if feed.full_text:
        summary["articles"] = {"read": articles.read, "not_read": len(articles.failures)}
    if kind == "error":
        _log.error("poll", extra={"fields": summary})
    else:
        _log.info("poll", extra={"fields": summary})
    return summary


def _unread_articles(articles: ArticleReads) -> str | None:
    failures = articles.failures
    if not failures:
        return None
    first = failures[0]
    return (
        f"{len(failures)} linked article(s) not read, the feed's text kept "
        f"(first: {redact_url(first.url)}: {first.error})"
    )


def _plan_entries(
    tracker: Tracker,
    feed: Feed,
    entries: tuple[FeedEntry, ...],
    seen: datetime,
    articles: ArticleReads,
) -> list[StreamBatch]:
    """A batch per new or changed entry: its document event, then what extraction found.

    For a full-text feed, the article a new or changed entry links to is read first and
    its main text is what is stored and extracted from.
    """
    batches: list[StreamBatch] = []
    planned: list[tuple[str, NewEvent, DocumentIngested, int | ExpectedVersion]] = []
    limit = tracker.settings.ingest.max_document_chars
    for identity, entry in _identified(feed, entries):
        incoming = incoming_document(feed, entry, identity, seen, limit=limit)
        stream = stream_for(incoming.doc_id)
        history = tracker.log.read_stream(stream)
        event, document = plan_document(incoming, history)
        if event is None:
            continue
        if feed.full_text and entry.link:
            article = articles.article(entry.link, longer_than=len(incoming.content))
            incoming = incoming_document(feed, entry, identity, seen, limit=limit, article=article)
            current = current_document(history)
            if article.text is None and current is not None and current.text_source == "article":
                # A changed entry whose article cannot be read now keeps the one read before.
                incoming = replace(
                    incoming,
                    content=current.content,
                    text_source="article",
                    article_url=current.article_url,
                )
            event, document = plan_document(incoming, history)
            assert event is not None  # the fingerprint is the feed's: still new or changed
        planned.append((stream, event, document, history[-1].version if history else NO_STREAM))
    # One pass of the language model over every new text: batching is most of its speed.
    extracted = tracker.extractor.extract_many([document for _, _, document, _ in planned])
    for (stream, event, _, expected), found in zip(planned, extracted, strict=True):
        batches.append(StreamBatch(stream, (event, *found), expected))
    return batches


def _identified(feed: Feed, entries: tuple[FeedEntry, ...]) -> list[tuple[str, FeedEntry]]:
    """Each entry with its identity; an entry repeated word for word is kept once.

    Items sharing a GUID are told apart by their link (else title), and the one that keeps
    the bare identity is chosen by content, not position: swapping them between polls
    changes nothing.
    """
    groups: dict[str, list[FeedEntry]] = {}
    for entry in entries:
        identity = entry_identity(
            feed.added_url,
            guid=entry.guid,
            link=entry.link,
            title=entry.title,
            published=entry.published,
        )
        groups.setdefault(identity, []).append(entry)
    out: list[tuple[str, FeedEntry]] = []
    taken: set[str] = set()
    for identity, group in groups.items():

        def words(e: FeedEntry) -> tuple[str, str, str, str]:
            return normalise_link(e.link or ""), e.title, e.summary, e.content

        distinct = sorted({words(e): e for e in group}.items(), key=lambda item: item[0])
        for index, (_, entry) in enumerate(distinct):
            chosen = identity
            if index:
                chosen = f"{identity} {normalise_link(entry.link or '') or entry.title}"
            if chosen in taken:
                continue
            taken.add(chosen)
            out.append((chosen, entry))
    return out


def bounded_document(
    title: str, summary: str, content: str, limit: int
) -> tuple[str, str, str, int]:
    """Title, summary and content cut to ``limit`` characters together, and how many were
    cut. The title keeps at most 1,000."""
    title, cut_title = bounded(title, min(limit, 1000))
    summary, cut_summary = bounded(summary, max(0, limit - len(title)))
    content, cut_content = bounded(content, max(0, limit - len(title) - len(summary)))
    return title, summary, content, cut_title + cut_summary + cut_content


def incoming_document(
    feed: Feed,
    entry: FeedEntry,
    identity: str,
    seen: datetime,
    *,
    limit: int,
    article: ArticleText | None = None,
) -> DocumentIngested:
    """A feed entry as a document; with ``article``, its content is the article's text
    when it was read, and the document says which text it holds."""
    title, summary, content, cut = bounded_document(
        entry.title, entry.summary, entry.content, limit
    )
    # The feed's words are the fingerprint, whichever text is stored: the next poll finds
    # the entry unchanged without reading its article again. Tracking parameters are not
    # content: the same article under a new utm_ is unchanged.
    fingerprint = content_hash(title, summary, content, normalise_link(entry.link or ""))
    text_source = "feed"
    if article is not None and article.text is not None:
        title, summary, content, cut = bounded_document(
            entry.title, entry.summary, article.text, limit
        )
        text_source = "article"
    return DocumentIngested(
        doc_id=document_id(identity),
        identity=identity,
        source="feed",
        title=title or (entry.link or "(untitled)"),
        content=content or summary,
        content_hash=fingerprint,
        published_at=entry.published or seen,
        published_precision="instant" if entry.published else "first-seen",
        url=entry.link,
        feed=feed.name,
        summary=summary or None,
        author=entry.author,
        truncated_chars=cut,
        text_source=text_source,
        article_url=article.url if article is not None else None,
        article_error=article.error if article is not None else None,
    )


def ingest_file(
    tracker: Tracker,
    path: Path,
    *,
    published: datetime,
    url: str | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """Store an article file as a document, with what extraction finds in it.

    ``-`` reads standard input. Only a regular file (or standard input) up to
    ``ingest.max_file_bytes`` is read: a device, a FIFO or a sparse giant is refused.
    """
    if url is not None and (problem := check_feed_url(url, what="article")):
        raise InputError(f"--url: {problem}")
    raw = read_input(path, tracker.settings.ingest.max_file_bytes, "ingest.max_file_bytes")
    try:
        text = plain_text(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    if title is not None:
        title = plain_text(title)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    heading = title or lines[0][:300]
    body = text if title else "\n".join(lines[1:]) or text
    heading, body, cut = bounded_document_parts(tracker, heading, body)
    identity = f"link:{normalise_link(url)}" if url else content_hash(heading, body)
    incoming = DocumentIngested(
        doc_id=document_id(identity),
        identity=identity,
        source="file",
        title=heading,
        content=body,
        content_hash=content_hash(heading, None, body, url and normalise_link(url)),
        published_at=published,
        published_precision="instant",
        url=url,
        truncated_chars=cut,
    )
    stream = stream_for(incoming.doc_id)
    history = tracker.log.read_stream(stream)
    event, document = plan_document(incoming, history)
    extracted = tracker.extractor.extract(document) if event is not None else []
    appended = 0
    if event is not None:
        expected = history[-1].version if history else NO_STREAM
        result = tracker.log.append(stream, [event, *extracted], expected_version=expected)
        appended = len(result.appended)
        tracker.runner.catch_up()
    return {
        "document": incoming.doc_id,
        "stream": stream,
        "truncated_chars": cut,
        "outcome": "unchanged" if event is None else "revised" if history else "new",
        "appended": appended,
        "statements": sum(1 for e in extracted if e.type == "StatementReported"),
        "facts": [
            e.data["key"] + " = " + json.dumps(e.data["value"])
            for e in extracted
            if e.type == "FactAsserted"
        ],
    }


def read_text_file(tracker: Tracker, path: Path) -> bytes:
    """A file's bytes (``-``: standard input), bounded by ``ingest.max_file_bytes``."""
    return read_input(path, tracker.settings.ingest.max_file_bytes, "ingest.max_file_bytes")


def bounded_document_parts(tracker: Tracker, title: str, body: str) -> tuple[str, str, int]:
    """Title and text cut to ``ingest.max_document_chars`` together, with what was cut."""
    heading, _, text, cut = bounded_document(
        plain_text(title), "", plain_text(body), tracker.settings.ingest.max_document_chars
    )
    return heading, text, cut


def read_input(path: Path, limit: int, limit_name: str) -> bytes:
    """A regular file's bytes, or standard input's for ``-``, refused over ``limit``."""
    if str(path) == "-":
        return _read_bounded(sys.stdin.buffer, "standard input", limit, limit_name)
    return _read_file(path, limit, limit_name)


def _read_file(path: Path, limit: int, limit_name: str) -> bytes:
    try:
        # Non-blocking, so a FIFO with no writer cannot hold the open; refused just below.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)  # a directory cannot even be wrapped in a file object
        raise InputError(f"{path}: not a regular file")
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > limit:
            raise InputError(
                f"{path}: {info.st_size} bytes, over the {limit} byte limit ({limit_name})"
            )
        os.set_blocking(fd, True)
        return _read_bounded(handle, str(path), limit, limit_name)


def _read_bounded(handle: BinaryIO, what: str, limit: int, limit_name: str) -> bytes:
    try:
        data = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(f"{what}: cannot read: {exc.strerror}") from None
    if len(data) > limit:
        raise InputError(f"{what}: over the {limit} byte limit ({limit_name})")
    return data


def database_shown(tracker: Tracker) -> str:
    """The database this tracker uses, fit to print (any password hidden)."""
    return redact_database_url(tracker.url)
