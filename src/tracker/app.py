"""Use cases: one function per thing a user does.

Read use cases return plain, JSON-ready dictionaries (the shapes the README
documents); the CLI prints them as text or as JSON.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine

from tracker.config import Settings, Story, load_feed_declarations
from tracker.domain.documents import content_hash, document_id, plan_document, stream_for
from tracker.domain.events import (
    DocumentIngested,
    FactAsserted,
    FactRetracted,
    StatementReported,
    decode,
)
from tracker.domain.feeds import (
    Feed,
    PollOutcome,
    entry_identity,
    next_schedule,
    normalise_link,
    parse_every,
)
from tracker.domain.log import NO_STREAM, RecordedEvent, StreamBatch
from tracker.domain.story import Answer, Assertion, Question, StoryState, answer, evolve
from tracker.errors import ConcurrencyError, InputError
from tracker.ingest.curated import load_curated
from tracker.ingest.extract import Extractor
from tracker.ingest.fetch import Fetcher, FetchResult, check_feed_url
from tracker.ingest.parse import FeedEntry, FeedParseError, parse_feed
from tracker.projections.queries import FactRow, StoryQueries
from tracker.projections.runner import ProjectionRunner
from tracker.projections.views import END_OF_TIME, evidence_of
from tracker.store import migrations
from tracker.store.engine import write_transaction
from tracker.store.feeds import FeedStore, PollRecord
from tracker.store.locks import ServiceLock
from tracker.store.log import EventLog

Clock = Callable[[], datetime]
HEARTBEAT_SECONDS = 10
_log = logging.getLogger("tracker")


@dataclass
class Tracker:
    """Everything a use case needs, built once per process by ``bootstrap``."""

    settings: Settings
    story: Story
    url: str
    log: EventLog
    runner: ProjectionRunner
    queries: StoryQueries
    feeds: FeedStore
    fetcher: Fetcher
    extractor: Extractor
    clock: Clock

    @property
    def engine(self) -> Engine:
        return self.log.engine

    def close(self) -> None:
        self.log.engine.dispose()


# -- the database ------------------------------------------------------------------


def upgrade_database(tracker: Tracker) -> migrations.SchemaStatus:
    """Migrate the database to the newest schema this tracker knows."""
    migrations.upgrade(tracker.engine)
    return migrations.schema_status(tracker.engine)


def database_status(tracker: Tracker) -> migrations.SchemaStatus:
    """Which schema revision the database is at, and whether it is the newest."""
    return migrations.schema_status(tracker.engine)


# -- writing -------------------------------------------------------------------------


def seed(tracker: Tracker) -> dict[str, Any]:
    """Append the seed article and every curated fact in it; a second run appends nothing."""
    story = load_curated()
    result = tracker.log.append(story.stream, story.events(), expected_version=NO_STREAM)
    tracker.runner.catch_up()
    return {
        "document": story.document.doc_id,
        "stream": story.stream,
        "appended": len(result.appended),
        "already_stored": len(result.already_stored),
        "facts": len(story.facts),
        "statements": len(story.statements),
    }


def catch_up(tracker: Tracker) -> dict[str, int]:
    """Bring every projection up to the end of the log."""
    return tracker.runner.catch_up()


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


# -- reading ---------------------------------------------------------------------------


def _times(
    tracker: Tracker, at: datetime | None, known_at: datetime | None
) -> tuple[datetime, datetime]:
    now = tracker.clock()
    return at or now, known_at or now


def _question(tracker: Tracker, question_id: str) -> Question:
    question = tracker.story.question(question_id)
    if question is None:
        known = ", ".join(q.id for q in tracker.story.questions)
        raise InputError(f"unknown question {question_id!r}; known: {known}")
    return question


def answer_view(result: Answer, at: datetime, known_at: datetime) -> dict[str, Any]:
    words = {True: "yes", False: "no", None: "unknown"}
    return {
        "question": result.question.id,
        "text": result.question.text,
        "answer": result.value,
        "answer_text": words[result.value],
        "since": result.since.isoformat() if result.since else None,
        "at": at.isoformat(),
        "known_at": known_at.isoformat(),
        "evidence": [evidence_of(a) for a in result.evidence],
    }


def fact_view(row: FactRow) -> dict[str, Any]:
    fact = row.fact
    evidence = fact.get("evidence", {})
    return {
        "key": row.key,
        "value": row.value,
        "valid_from": row.valid_from.isoformat(),
        "recorded_at": row.recorded_at.isoformat(),
        "position": row.position,
        "assertion_id": row.assertion_id,
        "modality": fact.get("modality"),
        "condition": fact.get("condition"),
        "text": fact.get("text"),
        "document": evidence.get("document"),
        "quote": evidence.get("quote"),
    }


def ask(
    tracker: Tracker,
    question_id: str,
    *,
    at: datetime | None = None,
    known_at: datetime | None = None,
) -> dict[str, Any]:
    """One question's answer at a valid time, as the tracker knew it at a transaction time."""
    question = _question(tracker, question_id)
    tracker.runner.catch_up()
    at, known_at = _times(tracker, at, known_at)
    return answer_view(tracker.queries.answer(question, at, known_at), at, known_at)


def state(
    tracker: Tracker, *, at: datetime | None = None, known_at: datetime | None = None
) -> dict[str, Any]:
    """Every question's answer and every fact holding at ``at``, as known at ``known_at``."""
    tracker.runner.catch_up()
    at, known_at = _times(tracker, at, known_at)
    return {
        "at": at.isoformat(),
        "known_at": known_at.isoformat(),
        "answers": [
            answer_view(tracker.queries.answer(q, at, known_at), at, known_at)
            for q in tracker.story.questions
        ],
        "facts": [fact_view(row) for row in tracker.queries.state_at(at, known_at)],
    }


def history(tracker: Tracker, key_or_question: str) -> dict[str, Any]:
    """Every change to a fact key (or to each key behind a question), in log order.

    For a question, also the answer as it stood after each change.
    """
    tracker.runner.catch_up()
    question = tracker.story.question(key_or_question)
    if question is None and not tracker.queries.is_known_key(key_or_question):
        raise InputError(
            f"{key_or_question!r} is neither a question nor a known fact key; "
            "see `tracker state` for keys"
        )
    keys = question.facts if question else (key_or_question,)
    changes: list[dict[str, Any]] = []
    for key in keys:
        for assertion, retracted_position in tracker.queries.history(key):
            changes.append(
                {
                    "kind": "asserted",
                    **_change(assertion),
                    "position": assertion.position,
                    "recorded_at": assertion.recorded_at.isoformat(),
                }
            )
            if retracted_position is not None and assertion.retracted_at is not None:
                changes.append(
                    {
                        "kind": "retracted",
                        **_change(assertion),
                        "position": retracted_position,
                        "recorded_at": assertion.retracted_at.isoformat(),
                    }
                )
    changes.sort(key=lambda c: c["position"])
    view: dict[str, Any] = {"subject": key_or_question, "keys": list(keys), "changes": changes}
    if question is not None:
        by_key = tracker.queries.assertions(question.facts)
        for change in changes:
            known = datetime.fromisoformat(change["recorded_at"])
            result = _answer_known(question, by_key, known)
            change["answer_after"] = result.value
            change["answer_since"] = result.since.isoformat() if result.since else None
    return view


def _answer_known(
    question: Question, by_key: dict[str, list[Assertion]], known_at: datetime
) -> Answer:
    return answer(question, by_key, END_OF_TIME, known_at)


def _change(assertion: Assertion) -> dict[str, Any]:
    fact = assertion.fact
    return {
        "key": assertion.key,
        "value": assertion.value,
        "valid_from": assertion.valid_from.isoformat(),
        "assertion_id": assertion.assertion_id,
        "text": fact.text,
        "modality": fact.modality,
        "document": fact.evidence.document,
        "quote": fact.evidence.quote,
        "producer": fact.producer.rule or fact.producer.kind,
    }


def events(
    tracker: Tracker,
    *,
    stream: str | None = None,
    type_: str | None = None,
    limit: int = 100,
    after: int = 0,
) -> list[dict[str, Any]]:
    """Events from the log in order, optionally one stream's or one type's."""
    if limit < 1:
        raise InputError("--limit must be at least 1")
    if stream is not None:
        found = [e for e in tracker.log.read_stream(stream) if not type_ or e.type == type_]
        return [event_view(e) for e in found if e.position > after][:limit]
    page = tracker.log.read_after(after, limit=limit, types=[type_] if type_ else None)
    return [event_view(e) for e in page]


def event_view(event: RecordedEvent) -> dict[str, Any]:
    return {
        "position": event.position,
        "stream": event.stream,
        "version": event.version,
        "type": event.type,
        "schema_version": event.schema_version,
        "occurred_at": event.occurred_at.isoformat(),
        "recorded_at": event.recorded_at.isoformat(),
        "event_id": str(event.event_id),
        "data": event.data,
    }


def statements(tracker: Tracker, *, by: str | None = None) -> list[dict[str, Any]]:
    """Attributed statements in log order, optionally by one actor or one side's actors."""
    tracker.runner.catch_up()
    speakers: list[str] | None = None
    if by is not None:
        group = [a.id for a in tracker.story.actors if a.group == by.strip().casefold()]
        actor = tracker.story.resolve_actor(by)
        if actor is None and not group:
            known = ", ".join(a.id for a in tracker.story.actors)
            raise InputError(f"unknown actor {by!r}; known: {known}")
        # A side's name (e.g. "russia") means every voice of that side.
        speakers = group if group else [actor.id] if actor else []
    rows = tracker.queries.statements(speakers)
    for row in rows:
        row["said_at"] = row["said_at"].isoformat()
        row["recorded_at"] = row["recorded_at"].isoformat()
    return rows


def replay(
    tracker: Tracker, *, since: datetime | int | None = None, until: datetime | int | None = None
) -> Iterator[dict[str, Any]]:
    """The log in order and, after each event, what changed in the story's picture.

    ``since``/``until`` are positions or transaction times (when it was recorded).
    The picture is every key's latest-valid value and every answer, as known then.
    """
    questions = tracker.story.questions
    state_now = StoryState()
    for event in tracker.log.iter_after(0, page_size=2000):
        if _beyond(event, until):
            break
        before = state_now
        state_now = evolve(state_now, event)
        if _before(event, since):
            continue
        yield {**_summary(event), "changes": _diff(before, state_now, event, questions)}


def _before(event: RecordedEvent, since: datetime | int | None) -> bool:
    if since is None:
        return False
    if isinstance(since, int):
        return event.position < since
    return event.recorded_at < since


def _beyond(event: RecordedEvent, until: datetime | int | None) -> bool:
    if until is None:
        return False
    if isinstance(until, int):
        return event.position > until
    return event.recorded_at > until


def _summary(event: RecordedEvent) -> dict[str, Any]:
    story_event = decode(event)
    if isinstance(story_event, DocumentIngested):
        text = f"document {story_event.title!r} ({story_event.source})"
    elif isinstance(story_event, FactAsserted):
        text = f"{story_event.key} = {story_event.value!r}: {story_event.text or ''}".rstrip(": ")
    elif isinstance(story_event, FactRetracted):
        text = f"retracted {story_event.key} ({story_event.reason})"
    elif isinstance(story_event, StatementReported):
        text = f"{story_event.speaker_name} {story_event.verb}: {story_event.content}"
    else:
        text = f"document {story_event.doc_id} revised"
    return {
        "position": event.position,
        "type": event.type,
        "stream": event.stream,
        "occurred_at": event.occurred_at.isoformat(),
        "recorded_at": event.recorded_at.isoformat(),
        "summary": text,
    }


def _diff(
    before: StoryState, after: StoryState, event: RecordedEvent, questions: tuple[Question, ...]
) -> list[dict[str, Any]]:
    key = event.data.get("key") if event.type in ("FactAsserted", "FactRetracted") else None
    if key is None:
        return []
    known = event.recorded_at

    def held(state_: StoryState) -> Any:
        facts = state_.facts_at(END_OF_TIME, known)
        return facts[key].value if key in facts else None

    changes: list[dict[str, Any]] = []
    old, new = held(before), held(after)
    if old != new or key not in before.assertions:
        changes.append({"fact": key, "before": old, "after": new})
    for question in questions:
        if key in question.facts:
            was = before.answer(question, END_OF_TIME, known).value
            now = after.answer(question, END_OF_TIME, known).value
            if was != now:
                changes.append({"question": question.id, "before": was, "after": now})
    return changes


# -- feeds ---------------------------------------------------------------------------------


def feed_view(feed: Feed) -> dict[str, Any]:
    def iso(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "name": feed.name,
        "url": feed.url,
        "every_seconds": feed.every_seconds,
        "origin": feed.origin,
        "state": "active" if feed.active else "gone",
        "next_due_at": iso(feed.next_due_at) if feed.active else None,
        "last_success_at": iso(feed.last_success_at),
        "last_error": feed.last_error,
        "last_error_at": iso(feed.last_error_at),
        "last_status": feed.last_status,
        "consecutive_failures": feed.consecutive_failures,
    }


def _default_name(url: str, taken: set[str]) -> str:
    parts = urlsplit(url)
    base = re.sub(r"[^a-z0-9]+", "-", f"{parts.hostname or 'feed'}{parts.path}".lower()).strip("-")
    base = base[:80] or "feed"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


def add_feed(
    tracker: Tracker,
    url: str,
    *,
    name: str | None = None,
    every: str | None = None,
    origin: str = "cli",
) -> dict[str, Any]:
    """Start following a feed; it is polled by `tracker poll` and the service."""
    problem = check_feed_url(url)
    if problem:
        raise InputError(problem)
    try:
        seconds = parse_every(every) if every else tracker.settings.service.default_every_seconds
    except ValueError as exc:
        raise InputError(f"--every: {exc}") from None
    existing = tracker.feeds.all()
    if any(f.url == url for f in existing):
        raise InputError(f"already following {url}")
    if name is not None and (not name.strip() or any(f.name == name for f in existing)):
        raise InputError(f"feed name {name!r} is empty or already taken")
    chosen = name or _default_name(url, {f.name for f in existing})
    feed = tracker.feeds.add(
        name=chosen, url=url, every=seconds, origin=origin, now=tracker.clock()
    )
    return feed_view(feed)


def list_feeds(tracker: Tracker) -> list[dict[str, Any]]:
    """Every feed with its health: last success, last error, failures, next poll."""
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
    current = {f.url: f for f in tracker.feeds.all()}
    added = []
    for item in declared:
        feed = current.get(item.url)
        if feed is None:
            add_feed(tracker, item.url, name=item.name, every=item.every, origin="config")
            added.append(item.url)
        elif item.every and feed.origin == "config":
            seconds = parse_every(item.every)
            if seconds != feed.every_seconds:
                tracker.feeds.update_interval(feed.id, seconds)
    urls = {item.url for item in declared}
    for feed in current.values():
        if feed.origin == "config" and feed.url not in urls:
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


def poll_feed(tracker: Tracker, feed: Feed) -> dict[str, Any]:
    """Fetch, parse and store one feed. A failure is recorded on the feed, never raised."""
    started = tracker.clock()
    fetched = tracker.fetcher.fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
    return store_fetched(tracker, feed, fetched, started=started)


def store_fetched(
    tracker: Tracker, feed: Feed, fetched: FetchResult, *, started: datetime, attempts: int = 3
) -> dict[str, Any]:
    """Parse what a fetch returned and store its documents with the feed's new state."""
    kind, error = fetched.kind, fetched.error
    entries: tuple[FeedEntry, ...] = ()
    warning = None
    if kind == "ok":
        try:
            parsed = parse_feed(fetched.body, fetched.headers)
            entries, warning = parsed.entries, parsed.warning
        except FeedParseError as exc:
            kind, error = "error", str(exc)
    for attempt in range(attempts):
        try:
            batches, new, revised = _plan_entries(tracker, feed, entries, started)
            finished = tracker.clock()
            outcome = PollOutcome(kind, fetched.retry_after, fetched.max_age)
            schedule = next_schedule(
                outcome,
                now=finished,
                every=feed.every_seconds,
                failures=feed.consecutive_failures,
                max_backoff=tracker.settings.service.max_backoff_seconds,
            )
            noted = error or (f"warning: {warning}" if warning else None)
            record = PollRecord(
                feed.id, started, finished, kind, fetched.status, len(entries), new, revised, noted
            )
            with write_transaction(tracker.engine) as conn:
                if batches:
                    tracker.log.append_in(conn, batches)
                tracker.feeds.record_poll(
                    conn,
                    feed,
                    record,
                    schedule,
                    etag=fetched.etag,
                    last_modified=fetched.last_modified,
                )
            break
        except ConcurrencyError:
            # Another process stored one of these documents meanwhile: plan again from the log.
            if attempt == attempts - 1:
                raise
    summary = {
        "feed": feed.name,
        "outcome": kind,
        "status": fetched.status,
        "entries": len(entries),
        "new": new,
        "revised": revised,
        "error": error,
        "warning": warning,
        "next_due_at": schedule.next_due.isoformat() if schedule.active else None,
        "ms": round((finished - started).total_seconds() * 1000),
    }
    _log.info("poll", extra={"fields": summary})
    return summary


def _plan_entries(
    tracker: Tracker, feed: Feed, entries: tuple[FeedEntry, ...], seen: datetime
) -> tuple[list[StreamBatch], int, int]:
    batches: list[StreamBatch] = []
    new = revised = 0
    identities: set[str] = set()
    for entry in entries:
        identity = entry_identity(
            feed.url, guid=entry.guid, link=entry.link, title=entry.title, published=entry.published
        )
        if identity in identities:
            # A feed reusing one GUID for two items: keep both, told apart by their link.
            identity = f"{identity} {normalise_link(entry.link or '') or entry.title}"
        identities.add(identity)
        incoming = incoming_document(feed, entry, identity, seen)
        stream = stream_for(incoming.doc_id)
        history = tracker.log.read_stream(stream)
        event, document = plan_document(incoming, history)
        if event is None:
            continue
        extracted = tracker.extractor.extract(document)
        batches.append(
            StreamBatch(stream, (event, *extracted), history[-1].version if history else NO_STREAM)
        )
        if history:
            revised += 1
        else:
            new += 1
    return batches, new, revised


def incoming_document(
    feed: Feed, entry: FeedEntry, identity: str, seen: datetime
) -> DocumentIngested:
    content = entry.content or entry.summary
    return DocumentIngested(
        doc_id=document_id(identity),
        identity=identity,
        source="feed",
        title=entry.title or (entry.link or "(untitled)"),
        content=content,
        # Tracking parameters are not content: the same article under a new utm_ is unchanged.
        content_hash=content_hash(
            entry.title, entry.summary, entry.content, normalise_link(entry.link or "")
        ),
        published_at=entry.published or seen,
        published_precision="instant" if entry.published else "first-seen",
        url=entry.link,
        feed=feed.name,
        summary=entry.summary or None,
        author=entry.author,
    )


def ingest_file(
    tracker: Tracker,
    path: Path,
    *,
    published: datetime,
    url: str | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """Store an article file as a document, with what extraction finds in it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    if url is not None and (problem := check_feed_url(url)):
        raise InputError(f"--url: {problem}")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    heading = title or lines[0][:300]
    body = text if title else "\n".join(lines[1:]) or text
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
        "outcome": "unchanged" if event is None else "revised" if history else "new",
        "appended": appended,
        "statements": sum(1 for e in extracted if e.type == "StatementReported"),
        "facts": [
            e.data["key"] + " = " + json.dumps(e.data["value"])
            for e in extracted
            if e.type == "FactAsserted"
        ],
    }


def service_status(tracker: Tracker) -> dict[str, Any]:
    """Is a service running on this database, since when, and its last polls."""
    run = tracker.feeds.latest_run()
    now = tracker.clock()
    state = "never run"
    if run is not None:
        held = ServiceLock(tracker.engine).is_held()
        if run["stopped_at"] is not None and not held:
            state = "stopped"
        elif not held:
            state = "not responding: the last service died without stopping (killed?)"
        elif (now - run["heartbeat_at"]).total_seconds() > 3 * HEARTBEAT_SECONDS:
            state = "not responding: running but no heartbeat (hung?)"
        else:
            state = "running"
    polls = [
        {
            "feed": p["name"],
            "outcome": p["outcome"],
            "status": p["http_status"],
            "started_at": p["started_at"].isoformat(),
            "new": p["new_documents"],
            "revised": p["revised_documents"],
            "error": p["error"],
        }
        for p in tracker.feeds.recent_polls(10)
    ]
    view: dict[str, Any] = {"state": state, "recent_polls": polls}
    if run is not None:
        view.update(
            host=run["host"],
            pid=run["pid"],
            since=run["started_at"].isoformat(),
            heartbeat_at=run["heartbeat_at"].isoformat(),
            stopped_at=run["stopped_at"].isoformat() if run["stopped_at"] else None,
            stop_reason=run["stop_reason"],
        )
    return view
