"""Replaying the log: each event in order, and what it changed in the story's picture."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from tracker.app.base import Tracker
from tracker.app.stories import pick, scope
from tracker.domain.events import (
    DocumentIngested,
    FactAsserted,
    FactRetracted,
    StatementReported,
    StoryStarted,
    decode,
)
from tracker.domain.log import RecordedEvent
from tracker.domain.story import Question, StoryState, evolve
from tracker.projections.timeline import END_OF_TIME


def replay(
    tracker: Tracker,
    *,
    since: datetime | int | None = None,
    until: datetime | int | None = None,
    at: datetime | None = None,
    known_at: datetime | None = None,
    story: str | None = None,
) -> Iterator[dict[str, Any]]:
    """The log in order and, after each event, what changed in the story's picture.

    ``since``/``until`` are positions or transaction times (when it was recorded);
    ``known_at`` ends the replay at what had been recorded by then. The picture is
    every key's value and every answer at valid time ``at`` (default: the latest
    valid), as known after each event.
    """
    within = pick(tracker, story)
    part = scope(tracker, within)
    questions = within.questions
    state_now = StoryState()
    valid = at or END_OF_TIME
    for event in tracker.log.iter_after(0, page_size=2000):
        if _beyond(event, until) or (known_at is not None and event.recorded_at > known_at):
            break
        before = state_now
        state_now = evolve(state_now, event)
        if _before(event, since) or not part.event(event):
            continue
        yield {**_summary(event), "changes": _diff(before, state_now, event, questions, valid)}


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
        if story_event.by or story_event.reason:
            text += f" (asserted by {story_event.by or 'an editor'}: {story_event.reason})"
    elif isinstance(story_event, FactRetracted):
        by = f" by {story_event.by}" if story_event.by else ""
        text = f"retracted {story_event.key}{by} ({story_event.reason})"
    elif isinstance(story_event, StatementReported):
        text = f"{story_event.speaker_name} {story_event.verb}: {story_event.content}"
    elif isinstance(story_event, StoryStarted):
        text = f"story {story_event.story_id} started: {story_event.title!r}"
    else:
        text = f"document {story_event.doc_id} revised"
    return {
        "position": event.position,
        "type": event.type,
        "stream": event.stream,
        "occurred_at": event.occurred_at.isoformat(),
        "recorded_at": event.recorded_at.isoformat(),
        "summary": text,
        # who made a correction and why; None for what a document said
        "by": getattr(story_event, "by", None),
        "reason": getattr(story_event, "reason", None),
    }


def _diff(
    before: StoryState,
    after: StoryState,
    event: RecordedEvent,
    questions: tuple[Question, ...],
    at: datetime,
) -> list[dict[str, Any]]:
    key = event.data.get("key") if event.type in ("FactAsserted", "FactRetracted") else None
    if key is None:
        return []
    known = event.recorded_at

    def held(state_: StoryState) -> Any:
        facts = state_.facts_at(at, known)
        return facts[key].value if key in facts else None

    changes: list[dict[str, Any]] = []
    old, new = held(before), held(after)
    if old != new or key not in before.assertions:
        changes.append({"fact": key, "before": old, "after": new})
    for question in questions:
        if key in question.facts:
            was = before.answer(question, at, known).value
            now = after.answer(question, at, known).value
            if was != now:
                changes.append({"question": question.id, "before": was, "after": now})
    return changes
