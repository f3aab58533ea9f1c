"""Use cases of a story as a whole: which stories there are, and one story's page.

A story's page is its questions with their answers, a timeline by valid date (facts,
statements, answer changes, retractions) and the health of the feeds it is fed by,
all at one valid time and as known at one transaction time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tracker.app.base import Tracker
from tracker.app.feeds import list_feeds
from tracker.app.stories import held, pick, scope
from tracker.app.story import answer_view, statements
from tracker.config import Story
from tracker.domain.story import Assertion, Question, answer
from tracker.projections.evidence import evidence_of

# A story page shows at most this many facts (the latest by valid time).
TIMELINE_FACTS = 400
_WORDS = {True: "yes", False: "no", None: "unknown"}


def stories(
    tracker: Tracker, *, at: datetime | None = None, known_at: datetime | None = None
) -> list[dict[str, Any]]:
    """The stories this tracker follows, each with its questions and their answers."""
    now = tracker.clock()
    at, known_at = at or now, known_at or now
    holding = {s.id for s in held(tracker)}
    out = []
    for story in tracker.stories:
        out.append(
            {
                "id": story.id,
                "title": story.title,
                "in_database": story.id in holding,
                "questions": [
                    {
                        "id": q.id,
                        "text": q.text,
                        "answer": (view := tracker.queries.answer(q, at, known_at)).value,
                        "answer_text": _WORDS[view.value],
                        "since": view.since.isoformat() if view.since else None,
                    }
                    for q in story.questions
                ],
            }
        )
    return out


def story_of(tracker: Tracker, story_id: str) -> Story:
    """The story with this id, or NotFoundError naming the ones there are."""
    return pick(tracker, story_id)


def story_view(
    tracker: Tracker,
    story_id: str,
    *,
    at: datetime | None = None,
    known_at: datetime | None = None,
) -> dict[str, Any]:
    """One story at valid time ``at`` as known at ``known_at``: answers, timeline, feeds.

    Feeds are shown as they are now: their health is kept for the present only.
    """
    story = story_of(tracker, story_id)
    now = tracker.clock()
    at, known_at = at or now, known_at or now
    queries = tracker.queries
    by_question = {q.id: queries.assertions(q.facts, known_at) for q in story.questions}
    answers = [
        answer_view(answer(q, by_question[q.id], at, known_at), at, known_at)
        for q in story.questions
    ]
    part = scope(tracker, story)
    total, facts = queries.valid_by(at, known_at, limit=TIMELINE_FACTS)
    facts = [(a, p) for a, p in facts if part.fact(a.key, a.fact.evidence.document)]
    items = [_fact_item(a) for a, _ in facts]
    items += [
        _retraction_item(tracker, a, position)
        for a, position in facts
        if position is not None and a.retracted_at is not None and a.retracted_at <= known_at
    ]
    items += [
        _statement_item(s) for s in statements(tracker, at=at, known_at=known_at, story=story.id)
    ]
    for question in story.questions:
        items += _answer_changes(question, by_question[question.id], at, known_at)
    order = {"answer": 0, "retraction": 1, "fact": 2, "statement": 3}
    items.sort(key=lambda i: (i["valid_at"], order[i["kind"]], i["position"]))
    return {
        "story": {"id": story.id, "title": story.title},
        "at": at.isoformat(),
        "known_at": known_at.isoformat(),
        "answers": answers,
        "timeline": items,
        "facts_shown": len(facts),
        "facts_total": total,
        "feeds": list_feeds(tracker, declared=False),
    }


def _fact_item(assertion: Assertion) -> dict[str, Any]:
    return {
        "kind": "fact",
        "valid_at": assertion.valid_from.isoformat(),
        **evidence_of(assertion),
    }


def _retraction_item(tracker: Tracker, assertion: Assertion, position: int) -> dict[str, Any]:
    assert assertion.retracted_at is not None
    events = tracker.log.read_after(position - 1, limit=1)
    data = events[0].data if events and events[0].position == position else {}
    return {
        "kind": "retraction",
        # A retraction holds from the moment it was recorded.
        "valid_at": assertion.retracted_at.isoformat(),
        "position": position,
        "key": assertion.key,
        "value": assertion.value,
        "text": assertion.fact.text,
        "reason": data.get("reason"),
        "by": data.get("by"),
    }


def _statement_item(statement: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": "statement",
        "valid_at": statement["said_at"],
        "position": statement["position"],
        "speaker": statement["speaker"],
        "speaker_name": statement["speaker_name"],
        "side": statement.get("side"),
        "verb": statement["verb"],
        "mode": statement["mode"],
        "quote": statement["quote"],
        "content": statement["content"],
        "sentence": statement["sentence"],
        "source": statement.get("source"),
    }


def _answer_changes(
    question: Question,
    by_key: dict[str, list[Assertion]],
    at: datetime,
    known_at: datetime,
) -> list[dict[str, Any]]:
    """Each valid time by ``at`` where the answer, as known at ``known_at``, changed."""
    moments = sorted(
        {
            a.valid_from
            for history in by_key.values()
            for a in history
            if a.valid_from <= at and a.visible(known_at)
        }
    )
    changes: list[dict[str, Any]] = []
    previous: bool | None = None
    for moment in moments:
        result = answer(question, by_key, moment, known_at)
        if result.value is previous:
            continue
        changes.append(
            {
                "kind": "answer",
                "valid_at": moment.isoformat(),
                "position": max((a.position for a in result.evidence), default=0),
                "question": question.id,
                "text": question.text,
                "before": previous,
                "after": result.value,
                "before_text": _WORDS[previous],
                "after_text": _WORDS[result.value],
                "evidence": [evidence_of(a) for a in result.evidence],
            }
        )
        previous = result.value
    return changes
