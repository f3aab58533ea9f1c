"""Use cases of corrections: an editor retracts an assertion, or asserts a fact by hand.

Both are events, never edits: a ``FactRetracted`` or a curated ``FactAsserted``
appended to the one ``corrections`` stream, naming the editor (``by``) and why
(``reason``). The old assertion stays in the log, so ``--known-at`` before a
correction still answers as the tracker did then.

Every correction is appended at the version of the ``corrections`` stream read
before its checks: two editors retracting the same assertion at once both pass
the check, one append wins, the other meets a moved stream, checks again and is
told it was already retracted. A retraction's id is derived from the assertion's,
so even a writer that skipped the check could not store it twice in that stream.
"""

from __future__ import annotations

import getpass
import re
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

from tracker.app.base import Tracker
from tracker.domain.events import (
    Evidence,
    FactAsserted,
    FactRetracted,
    Producer,
    ValidPrecision,
    Value,
    decode,
    new_event,
)
from tracker.domain.log import NewEvent, RecordedEvent
from tracker.domain.when import parse_when
from tracker.errors import ConcurrencyError, InputError, NotFoundError, StorageError
from tracker.ingest.urls import check_feed_url

CORRECTIONS = "corrections"
EDITOR = Producer(kind="curated")
# Appends lost to another editor's correction before giving up; each is a fresh check.
ATTEMPTS = 5
_SEGMENT = re.compile(r"[a-z0-9][a-z0-9._-]*")
_INTEGER = re.compile(r"[+-]?\d{1,18}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WORDS = {True: "yes", False: "no", None: "unknown"}
_TRUE = {"true", "yes"}
_FALSE = {"false", "no"}


def editor_login() -> str:
    """Who corrects when no name is given: the login name, else ``unknown``."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login in the environment or passwd
        return "unknown"
    return " ".join(name.split()) or "unknown"


# -- reading what the editor typed --------------------------------------------------


def parse_key(key: str) -> tuple[str, str, str | None]:
    """A fact key's subject, predicate and object (``subject/predicate[/object]``)."""
    parts = key.split("/")
    if not 2 <= len(parts) <= 3 or not all(_SEGMENT.fullmatch(p) for p in parts):
        raise InputError(
            f"KEY: {key!r} is not subject/predicate[/object] "
            "(lower-case words joined by hyphens, e.g. russia-ukraine/signed/ceasefire)"
        )
    return parts[0], parts[1], parts[2] if len(parts) == 3 else None


def parse_value(text: str) -> Value:
    """true/yes and false/no (any case) are booleans, whole numbers are integers, and
    anything else is text; double quotes around it keep a word such as "yes" text."""
    raw = text.strip()
    folded = raw.casefold()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    if _INTEGER.fullmatch(raw):
        return int(raw)
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        raw = raw[1:-1].strip()
    if not raw:
        raise InputError("VALUE: empty; give true, false, a whole number or a text")
    return _line("VALUE", raw, 500)


def parse_valid_from(text: str, *, now: datetime) -> tuple[datetime, ValidPrecision]:
    """When the fact became true, and how precisely that is known.

    A date alone is the start of that day, UTC (known to the day), as the curated facts
    are; a correction cannot hold from the future.
    """
    raw = text.strip()
    precision: ValidPrecision
    if _DATE.fullmatch(raw):
        try:
            moment, precision = datetime.combine(date.fromisoformat(raw), time(0), UTC), "day"
        except ValueError:
            raise InputError(f"--at: {text!r} is not a valid date") from None
    else:
        try:
            moment, precision = parse_when(raw, now=now, option="--at"), "instant"
        except ValueError as exc:
            raise InputError(str(exc)) from None
    if moment > now:
        raise InputError(f"--at: {text!r} is in the future; a correction says what is or was true")
    return moment, precision


def evidence_from(source: str) -> Evidence:
    """A URL (http or https) is the evidence's link; any other text is its quote."""
    raw = source.strip()
    if raw.casefold().startswith(("http://", "https://")):
        refused = check_feed_url(raw)
        if refused is not None:
            raise InputError(f"--source: {refused}")
        return Evidence(document=CORRECTIONS, url=raw)
    return Evidence(document=CORRECTIONS, quote=_line("--source", raw, 2000))


def _line(option: str, text: str, limit: int) -> str:
    """Text as one line of single spaces, present and not too long."""
    line = " ".join(text.split())
    if not line:
        raise InputError(f"{option}: empty; say it in words")
    if len(line) > limit:
        raise InputError(f"{option}: {len(line)} characters, at most {limit}")
    return line


def _event_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        raise InputError(
            f"{text!r} is not an event id; assertion ids (8-4-4-4-12 hex) are in "
            "`tracker history KEY --json` and `tracker ask QUESTION --json`"
        ) from None


# -- writing ---------------------------------------------------------------------------


def assert_fact(
    tracker: Tracker,
    key: str,
    value: str,
    *,
    at: str,
    source: str,
    reason: str,
    by: str,
) -> dict[str, Any]:
    """Append an editor's own assertion of a fact, valid from ``at``, with its source.

    ``value`` is read by ``parse_value``, ``at`` by ``parse_valid_from`` and ``source``
    by ``evidence_from``.
    """
    subject, predicate, object_ = parse_key(key)
    valid_from, precision = parse_valid_from(at, now=tracker.clock())
    fact = FactAsserted(
        key=key,
        subject=subject,
        predicate=predicate,
        object=object_,
        value=parse_value(value),
        valid_from=valid_from,
        valid_precision=precision,
        evidence=evidence_from(source),
        producer=EDITOR,
        by=_line("--by", by, 100),
        reason=_line("--reason", reason, 1000),
    )

    def build(version: int) -> tuple[NewEvent, str]:
        # The id names the slot in the stream: the same words given twice are two
        # corrections, as they were two commands (and one may come after a retraction).
        return new_event(fact, CORRECTIONS, str(version + 1), occurred_at=valid_from), key

    event, before = _append(tracker, lambda: None, build)
    return {
        "correction": "asserted",
        **_recorded(event),
        "key": key,
        "value": fact.value,
        "valid_from": valid_from.isoformat(),
        "valid_precision": precision,
        "url": fact.evidence.url,
        "quote": fact.evidence.quote,
        "reason": fact.reason,
        "by": fact.by,
        "answers": _answers_changed(tracker, key, before),
    }


def retract(tracker: Tracker, assertion_id: str, *, reason: str, by: str) -> dict[str, Any]:
    """Append the retraction of one assertion: from now on it no longer counts.

    Refused for an id that is not a stored ``FactAsserted``, or one already retracted.
    """
    target_id = _event_id(assertion_id)
    why, who = _line("--reason", reason, 1000), _line("--by", by, 100)
    found: list[tuple[RecordedEvent, FactAsserted]] = []

    def check() -> None:
        target = tracker.log.find(target_id)
        if target is None:
            raise NotFoundError(f"no event with id {target_id} in the log")
        if target.type != FactAsserted.TYPE:
            raise InputError(
                f"event {target_id} is a {target.type}, not a FactAsserted: "
                "only assertions can be retracted"
            )
        retracted = tracker.queries.retraction_of(target.position)
        if retracted is not None:
            said = _retraction_said(tracker, retracted)
            raise InputError(f"assertion {target_id} is already retracted: {said}")
        fact = decode(target)
        assert isinstance(fact, FactAsserted)
        found[:] = [(target, fact)]

    def build(version: int) -> tuple[NewEvent, str]:
        target, fact = found[0]
        retraction = FactRetracted(
            key=fact.key, assertion_id=str(target.event_id), reason=why, by=who
        )
        # Derived from the assertion's id: one retraction of it, however often tried.
        return new_event(retraction, str(target.event_id), occurred_at=tracker.clock()), fact.key

    event, before = _append(tracker, check, build)
    target, fact = found[0]
    return {
        "correction": "retracted",
        **_recorded(event),
        "assertion_id": str(target.event_id),
        "key": fact.key,
        "value": fact.value,
        "valid_from": fact.valid_from.isoformat(),
        "reason": why,
        "by": who,
        "answers": _answers_changed(tracker, fact.key, before),
    }


def _append(
    tracker: Tracker,
    check: Callable[[], None],
    build: Callable[[int], tuple[NewEvent, str]],
) -> tuple[RecordedEvent, dict[str, bool | None]]:
    """Check, then append at the stream version read before the check; when another
    correction came first, check again. Also the answers behind the key just before."""
    for _ in range(ATTEMPTS):
        version = tracker.log.stream_version(CORRECTIONS)
        tracker.runner.catch_up()
        check()
        event, key = build(version)
        before = _answers(tracker, key)
        try:
            result = tracker.log.append(CORRECTIONS, [event], expected_version=version)
        except ConcurrencyError:
            continue
        tracker.runner.catch_up()
        if not result.appended:
            check()  # the same retraction is stored: the check names it
            raise InputError(f"event {event.event_id} is already in the {CORRECTIONS} stream")
        stored = tracker.log.read_after(result.appended[0] - 1, limit=1)
        return stored[0], before
    raise StorageError(
        f"the {CORRECTIONS} stream moved {ATTEMPTS} times while appending; try again"
    )


def _answers(tracker: Tracker, key: str) -> dict[str, bool | None]:
    """The answer now of each question that asks about ``key``."""
    now = tracker.clock()
    return {
        q.id: tracker.queries.answer(q, now, now).value
        for q in tracker.story.questions
        if key in q.facts
    }


def _answers_changed(
    tracker: Tracker, key: str, before: dict[str, bool | None]
) -> list[dict[str, Any]]:
    after = _answers(tracker, key)
    return [
        {
            "question": question,
            "before": was,
            "after": after[question],
            "before_text": _WORDS[was],
            "after_text": _WORDS[after[question]],
        }
        for question, was in before.items()
    ]


def _recorded(event: RecordedEvent) -> dict[str, Any]:
    return {
        "event_id": str(event.event_id),
        "stream": event.stream,
        "position": event.position,
        "recorded_at": event.recorded_at.isoformat(),
    }


def _retraction_said(tracker: Tracker, position: int) -> str:
    """A retraction in a few words: where, when, by whom and why."""
    found = tracker.log.read_after(position - 1, limit=1)
    if not found or found[0].position != position:
        return f"#{position}"
    event = found[0]
    by = event.data.get("by")
    who = f" by {by}" if by else ""
    return (
        f"#{position} in {event.stream}, recorded {event.recorded_at.isoformat()[:19]}{who} "
        f"({event.data.get('reason')})"
    )
