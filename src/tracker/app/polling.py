"""The poll pipeline: fetch a feed, parse it, plan each entry's document, extract, and
store it all with the feed's next due time in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from tracker.app.articles import ArticleReads
from tracker.app.base import Tracker, _log
from tracker.app.entries import identified, incoming_document
from tracker.app.feeds import sync_config_feeds
from tracker.domain.documents import (
    current_document,
    plan_document,
    stream_for,
)
from tracker.domain.events import DocumentIngested
from tracker.domain.feeds import (
    Feed,
    FetchKind,
    PollOutcome,
    Schedule,
    next_schedule,
)
from tracker.domain.log import NO_STREAM, ExpectedVersion, NewEvent, StreamBatch
from tracker.errors import ClaimLostError, ConcurrencyError, InputError
from tracker.ingest.fetch import FetchResult
from tracker.ingest.parse import FeedEntry, FeedParseError, parse_feed
from tracker.ingest.urls import redact_url
from tracker.store.engine import write_transaction
from tracker.store.feeds import Move, PollRecord


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


@dataclass(frozen=True, slots=True)
class _Parsed:
    """What a fetch said once its body is parsed: the outcome and the feed's entries."""

    kind: FetchKind
    error: str | None
    entries: tuple[FeedEntry, ...] = ()
    warning: str | None = None


@dataclass(frozen=True, slots=True)
class _Stored:
    """What one poll's transaction committed."""

    new: int
    revised: int
    move: Move
    schedule: Schedule
    finished: datetime
    unread: str | None


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
    parsed = _parsed(fetched)
    articles = ArticleReads(tracker)
    for attempt in range(attempts):
        try:
            stored = _store_once(
                tracker,
                feed,
                fetched,
                parsed,
                started=started,
                articles=articles,
                claim=claim,
                jitter=jitter,
            )
            break
        except ConcurrencyError:
            # Another process stored one of these documents meanwhile: plan again from the log.
            if attempt == attempts - 1:
                raise
    summary = _summary(feed, fetched, parsed, stored, started, articles)
    if parsed.kind == "error":
        _log.error("poll", extra={"fields": summary})
    else:
        _log.info("poll", extra={"fields": summary})
    return summary


def _parsed(fetched: FetchResult) -> _Parsed:
    if fetched.kind != "ok":
        return _Parsed(fetched.kind, fetched.error)
    try:
        parsed = parse_feed(fetched.body, fetched.headers)
    except FeedParseError as exc:
        return _Parsed("error", str(exc))
    return _Parsed(fetched.kind, fetched.error, parsed.entries, parsed.warning)


def _store_once(
    tracker: Tracker,
    feed: Feed,
    fetched: FetchResult,
    parsed: _Parsed,
    *,
    started: datetime,
    articles: ArticleReads,
    claim: int | None,
    jitter: float,
) -> _Stored:
    """Plan the entries from the log as it is now, then append them and record the poll."""
    batches = _plan_entries(tracker, feed, parsed.entries, started, articles)
    finished = tracker.clock()
    schedule = next_schedule(
        PollOutcome(parsed.kind, fetched.retry_after, fetched.max_age),
        now=finished,
        every=feed.every_seconds,
        failures=feed.consecutive_failures,
        max_backoff=tracker.settings.service.max_backoff_seconds,
    )
    if jitter:
        schedule = replace(schedule, next_due=schedule.next_due + timedelta(seconds=jitter))
    unread = _unread_articles(articles)
    notes = "; ".join(filter(None, (parsed.warning, unread)))
    noted = parsed.error or (f"warning: {notes}" if notes else None)
    with write_transaction(tracker.engine) as conn:
        stored = tracker.log.append_in(conn, batches).appended_ids if batches else set()
        # Counted from what this poll stored: a document another process stored first is
        # not new here.
        firsts = [b for b in batches if b.events[0].event_id in stored]
        new = sum(1 for b in firsts if b.expected_version is NO_STREAM)
        revised = len(firsts) - new
        record = PollRecord(
            feed.id,
            started,
            finished,
            parsed.kind,
            fetched.status,
            len(parsed.entries),
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
    return _Stored(new, revised, move, schedule, finished, unread)


def _summary(
    feed: Feed,
    fetched: FetchResult,
    parsed: _Parsed,
    stored: _Stored,
    started: datetime,
    articles: ArticleReads,
) -> dict[str, Any]:
    """One poll as `tracker poll` prints it and the service logs it."""
    move, schedule = stored.move, stored.schedule
    summary: dict[str, Any] = {
        "feed": feed.name,
        "outcome": parsed.kind,
        "status": fetched.status,
        "entries": len(parsed.entries),
        "new": stored.new,
        "revised": stored.revised,
        "error": parsed.error,
        "warning": "; ".join(filter(None, (parsed.warning, move.refused, stored.unread))) or None,
        "moved_to": move.moved_to and redact_url(move.moved_to),
        "next_due_at": schedule.next_due.isoformat() if schedule.active else None,
        "ms": round((stored.finished - started).total_seconds() * 1000),
    }
    if feed.full_text:
        summary["articles"] = {"read": articles.read, "not_read": len(articles.failures)}
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
    for identity, entry in identified(feed, entries):
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
