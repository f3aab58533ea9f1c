"""Use cases of the story: seed it, ask it, read its history, events and statements."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tracker.app.base import Tracker
from tracker.app.stories import pick, scope
from tracker.config import Story
from tracker.domain.log import NO_STREAM, RecordedEvent
from tracker.domain.story import Answer, Assertion, Question, answer
from tracker.errors import InputError, NotFoundError
from tracker.ingest.curated import load_curated
from tracker.projections.queries import FactRow
from tracker.projections.views import END_OF_TIME, evidence_of, source_of


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


# -- reading ---------------------------------------------------------------------------


def _times(
    tracker: Tracker, at: datetime | None, known_at: datetime | None
) -> tuple[datetime, datetime]:
    now = tracker.clock()
    return at or now, known_at or now


def _question(tracker: Tracker, question_id: str, story: str | None) -> Question:
    within = pick(tracker, story)
    question = within.question(question_id)
    if question is None:
        known = ", ".join(q.id for q in within.questions)
        where = f" in story {within.id}" if len(tracker.stories) > 1 else ""
        raise NotFoundError(f"unknown question {question_id!r}{where}; known: {known}")
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
    story: str | None = None,
) -> dict[str, Any]:
    """One question's answer at a valid time, as the tracker knew it at a transaction time."""
    question = _question(tracker, question_id, story)
    at, known_at = _times(tracker, at, known_at)
    return answer_view(tracker.queries.answer(question, at, known_at), at, known_at)


def state(
    tracker: Tracker,
    *,
    at: datetime | None = None,
    known_at: datetime | None = None,
    story: str | None = None,
) -> dict[str, Any]:
    """Every question's answer and every fact holding at ``at``, as known at ``known_at``."""
    within = pick(tracker, story)
    part = scope(tracker, within)
    at, known_at = _times(tracker, at, known_at)
    return {
        "at": at.isoformat(),
        "known_at": known_at.isoformat(),
        "answers": [
            answer_view(tracker.queries.answer(q, at, known_at), at, known_at)
            for q in within.questions
        ],
        "facts": [
            fact_view(row)
            for row in tracker.queries.state_at(at, known_at)
            if part.fact(row.key, row.fact.get("evidence", {}).get("document"))
        ],
    }


def history(
    tracker: Tracker,
    key_or_question: str,
    *,
    at: datetime | None = None,
    known_at: datetime | None = None,
    story: str | None = None,
) -> dict[str, Any]:
    """Every change to a fact key (or to each key behind a question), in log order.

    For a question, also the answer as it stood after each change. With ``known_at``,
    only the changes recorded by then; with ``at``, only assertions valid by then.
    A fact key is the world's, whichever story asks; a question is the story's.
    """
    within = pick(tracker, story)
    question = within.question(key_or_question)
    if question is None and not tracker.queries.is_known_key(key_or_question):
        raise NotFoundError(
            f"{key_or_question!r} is neither a question nor a known fact key; "
            "see `tracker state` for keys"
        )
    keys = question.facts if question else (key_or_question,)
    changes = [c for c in _changes(tracker, keys) if _within(c, at, known_at)]
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


def _changes(tracker: Tracker, keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """Each assertion of these keys, and its retraction when there is one."""
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
                        **_retraction(tracker, retracted_position),
                    }
                )
    return changes


def _within(change: dict[str, Any], at: datetime | None, known_at: datetime | None) -> bool:
    if known_at is not None and datetime.fromisoformat(change["recorded_at"]) > known_at:
        return False
    return at is None or datetime.fromisoformat(change["valid_from"]) <= at


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
        "sentence": fact.evidence.sentence,
        "producer": fact.producer.rule or fact.producer.kind,
        "source": source_of(fact.evidence),
        "by": fact.by,
        "reason": fact.reason,
    }


def _retraction(tracker: Tracker, position: int) -> dict[str, Any]:
    """Who retracted, and why, from the retraction itself (in whichever stream)."""
    found = tracker.log.read_after(position - 1, limit=1)
    data = found[0].data if found and found[0].position == position else {}
    return {"by": data.get("by"), "reason": data.get("reason")}


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


def _speakers(story: Story, by: str | None) -> tuple[list[str] | None, str | None, bool]:
    """Whose statements ``by`` asks for: the speakers (None: everyone), the side it
    names, and whether it names nobody configured (an unlisted speaker's id)."""
    speakers: list[str] | None = None
    side: str | None = None
    unlisted = False
    if by is not None:
        wanted = by.strip().casefold()
        group = [a.id for a in story.actors if a.group == wanted]
        actor = story.resolve_actor(by)
        sides = {a.group for a in story.actors if a.group}
        if group or wanted in sides:
            speakers, side = group, wanted
        elif actor is not None:
            speakers = [actor.id]
        else:
            speakers, unlisted = [wanted], True
    return speakers, side, unlisted


def statements(
    tracker: Tracker,
    *,
    by: str | None = None,
    at: datetime | None = None,
    known_at: datetime | None = None,
    story: str | None = None,
) -> list[dict[str, Any]]:
    """Attributed statements in log order, optionally by one speaker or one side.

    ``by`` is an actor id or alias, an unlisted speaker's id ("ivan-petrov"), or a side
    ("russia"): every configured voice of that side and every unlisted speaker the text
    placed on it. ``at`` keeps those said by then, ``known_at`` those recorded by then.
    """
    within = pick(tracker, story)
    part = scope(tracker, within)
    speakers, side, unlisted = _speakers(tracker.story, by)
    rows = tracker.queries.statements(speakers, side)
    if unlisted and not rows:
        ids = [a.id for a in tracker.story.actors]
        known = ", ".join(ids[:8]) + (f", ... ({len(ids)} in all)" if len(ids) > 8 else "")
        raise InputError(
            f"unknown actor {by!r}: no configured actor, side or speaker of a statement; "
            f"known actors: {known}"
        )
    rows = [
        row
        for row in rows
        if (at is None or row["said_at"] <= at)
        and (known_at is None or row["recorded_at"] <= known_at)
        and part.statement(row["about"] or (), row["doc_id"])
    ]
    groups = {a.id: a.group for a in tracker.story.actors}
    for row in rows:
        row["side"] = row["side"] or groups.get(row["speaker"])
        row["said_at"] = row["said_at"].isoformat()
        row["recorded_at"] = row["recorded_at"].isoformat()
    return rows
