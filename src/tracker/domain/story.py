"""The story's state as a fold over its events, and as-of queries on it.

Two clocks (bitemporal): ``at`` is valid time (when it was true in the world),
``known_at`` is transaction time (when the tracker recorded it). For one fact
key, among assertions recorded by ``known_at`` and not retracted by then, the
one with the latest ``valid_from`` at or before ``at`` wins; ties go to the
later position. The stored views implement the same rule in SQL, and a test
holds them to this one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from tracker.domain.documents import revised
from tracker.domain.events import (
    DocumentIngested,
    DocumentRevised,
    FactAsserted,
    FactRetracted,
    StatementReported,
    Value,
    decode,
)
from tracker.domain.log import RecordedEvent


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    group: str | None = None  # e.g. "russia" for every voice of Moscow


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str
    facts: tuple[str, ...]
    combine: str = "any"  # any: true if one key is true | all: true only if every key is


@dataclass(frozen=True, slots=True)
class Assertion:
    """One FactAsserted as the timeline sees it."""

    assertion_id: str
    key: str
    value: Value
    valid_from: datetime
    position: int
    recorded_at: datetime
    fact: FactAsserted
    retracted_at: datetime | None = None

    def visible(self, known_at: datetime) -> bool:
        return self.recorded_at <= known_at and (
            self.retracted_at is None or self.retracted_at > known_at
        )


@dataclass(frozen=True, slots=True)
class Answer:
    question: Question
    value: bool | None  # None: unknown
    since: datetime | None
    evidence: tuple[Assertion, ...]


def assertion_of(event: RecordedEvent, fact: FactAsserted) -> Assertion:
    return Assertion(
        assertion_id=str(event.event_id),
        key=fact.key,
        value=fact.value,
        valid_from=fact.valid_from,
        position=event.position,
        recorded_at=event.recorded_at,
        fact=fact,
    )


def winner(assertions: Iterable[Assertion], at: datetime, known_at: datetime) -> Assertion | None:
    """The assertion that holds for its key at ``at``, as known at ``known_at``."""
    best: Assertion | None = None
    for candidate in assertions:
        if candidate.valid_from > at or not candidate.visible(known_at):
            continue
        if best is None or (candidate.valid_from, candidate.position) > (
            best.valid_from,
            best.position,
        ):
            best = candidate
    return best


def holds_since(
    assertions: Sequence[Assertion], at: datetime, known_at: datetime
) -> datetime | None:
    """Since when the key's value at ``at`` has held without a change."""
    current = winner(assertions, at, known_at)
    if current is None:
        return None
    # The winner only changes at some assertion's valid_from; walk those back.
    steps = sorted(
        (a for a in assertions if a.valid_from <= at and a.visible(known_at)),
        key=lambda a: (a.valid_from, a.position),
    )
    effective: dict[datetime, Assertion] = {}
    for step in steps:
        effective[step.valid_from] = step  # the later position wins a tie
    since = current.valid_from
    for moment in sorted(effective, reverse=True):
        if effective[moment].value != current.value:
            break
        since = moment
    return since


def answer(
    question: Question,
    assertions_by_key: Mapping[str, Sequence[Assertion]],
    at: datetime,
    known_at: datetime,
) -> Answer:
    """A question's answer at ``at`` as known at ``known_at``: true, false or unknown."""
    known: list[tuple[Assertion, datetime]] = []
    for key in question.facts:
        history = assertions_by_key.get(key, ())
        held = winner(history, at, known_at)
        if held is not None:
            since = holds_since(history, at, known_at)
            assert since is not None
            known.append((held, since))
    return decide(question, known)


def decide(question: Question, known: Sequence[tuple[Assertion, datetime]]) -> Answer:
    """The answer given, for each of the question's keys that holds a value, the
    assertion holding it and since when it has held."""
    true = [(a, s) for a, s in known if a.value is True]
    false = [(a, s) for a, s in known if a.value is False]
    if question.combine == "all":
        if false:
            return _answered(question, False, false, latest=False)
        if true and len(true) == len(question.facts):
            return _answered(question, True, true, latest=True)
        return Answer(question, None, None, ())
    if true:
        return _answered(question, True, true, latest=False)
    if false:
        return _answered(question, False, false, latest=True)
    return Answer(question, None, None, ())


def _answered(
    question: Question, value: bool, held: list[tuple[Assertion, datetime]], *, latest: bool
) -> Answer:
    # "any" is true from the first true key on, false only once every known key is false.
    moments = [since for _, since in held]
    since = max(moments) if latest else min(moments)
    return Answer(question, value, since, tuple(a for a, _ in held))


# -- the fold --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoryState:
    """Everything the log says about the story, as of the last event folded in."""

    position: int = 0
    documents: Mapping[str, DocumentIngested] = field(default_factory=dict)
    assertions: Mapping[str, tuple[Assertion, ...]] = field(default_factory=dict)
    statements: tuple[StatementReported, ...] = ()

    def answer(self, question: Question, at: datetime, known_at: datetime) -> Answer:
        return answer(question, self.assertions, at, known_at)

    def facts_at(self, at: datetime, known_at: datetime) -> dict[str, Assertion]:
        held = {key: winner(history, at, known_at) for key, history in self.assertions.items()}
        return {key: a for key, a in held.items() if a is not None}


def evolve(state: StoryState, event: RecordedEvent) -> StoryState:
    """The state after one more event. Pure: the input state is left as it was."""
    story_event = decode(event)
    moved = replace(state, position=event.position)
    if isinstance(story_event, DocumentIngested):
        return replace(moved, documents={**state.documents, story_event.doc_id: story_event})
    if isinstance(story_event, DocumentRevised):
        old = state.documents.get(story_event.doc_id)
        if old is None:
            return moved
        return replace(
            moved, documents={**state.documents, story_event.doc_id: revised(old, story_event)}
        )
    if isinstance(story_event, FactAsserted):
        history = state.assertions.get(story_event.key, ())
        added = (*history, assertion_of(event, story_event))
        return replace(moved, assertions={**state.assertions, story_event.key: added})
    if isinstance(story_event, FactRetracted):
        history = state.assertions.get(story_event.key, ())
        withdrawn = tuple(
            replace(a, retracted_at=event.recorded_at)
            if a.assertion_id == story_event.assertion_id and a.retracted_at is None
            else a
            for a in history
        )
        return replace(moved, assertions={**state.assertions, story_event.key: withdrawn})
    if isinstance(story_event, StatementReported):
        return replace(moved, statements=(*state.statements, story_event))
    return moved


def fold(events: Iterable[RecordedEvent], state: StoryState | None = None) -> StoryState:
    for event in events:
        state = evolve(state or StoryState(), event)
    return state or StoryState()
