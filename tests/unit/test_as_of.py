"""The bitemporal rule, table by table: which assertion holds at a valid time as known at a
transaction time, since when, and what a question answers. No database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tracker.domain.events import Evidence, FactAsserted, Producer
from tracker.domain.story import Assertion, Question, answer, holds_since, winner

KEY = "moscow/commented-on/paris-meeting"


def day(n: int) -> datetime:
    return datetime(2026, 1, n, 12, tzinfo=UTC)


def said(
    name: str, value: bool, valid: int, recorded: int, position: int, retracted: int | None = None
) -> Assertion:
    """An assertion named ``name``, valid from day ``valid``, recorded on day ``recorded``."""
    fact = FactAsserted(
        key=KEY,
        subject="moscow",
        predicate="commented-on",
        object="paris-meeting",
        value=value,
        valid_from=day(valid),
        valid_precision="day",
        evidence=Evidence(document=name),
        producer=Producer(),
    )
    return Assertion(
        assertion_id=name,
        key=KEY,
        value=value,
        valid_from=day(valid),
        position=position,
        recorded_at=day(recorded),
        fact=fact,
        retracted_at=None if retracted is None else day(retracted),
    )


SILENT = said("silent", False, valid=6, recorded=7, position=1)
SPOKE = said("spoke", True, valid=8, recorded=9, position=2)
SAME_DAY_LATER = said("same-day", True, valid=6, recorded=10, position=3)
WITHDRAWN = said("withdrawn", True, valid=7, recorded=7, position=4, retracted=11)


@pytest.mark.parametrize(
    ("history", "at", "known_at", "expected"),
    [
        ((), 20, 20, None),
        ((SILENT,), 5, 20, None),  # not yet valid
        ((SILENT,), 6, 6, None),  # valid, but not yet recorded
        ((SILENT,), 6, 7, "silent"),
        ((SILENT, SPOKE), 7, 20, "silent"),
        ((SILENT, SPOKE), 8, 20, "spoke"),
        ((SILENT, SPOKE), 8, 8, "silent"),  # the reaction was recorded on the 9th
        ((SPOKE, SILENT), 8, 20, "spoke"),  # order of the input is irrelevant
        ((SILENT, SAME_DAY_LATER), 6, 20, "same-day"),  # a tie goes to the later position
        ((SILENT, SAME_DAY_LATER), 6, 9, "silent"),
        ((SILENT, WITHDRAWN), 7, 10, "withdrawn"),
        ((SILENT, WITHDRAWN), 7, 11, "silent"),  # retracted from when it was recorded
        ((SILENT, WITHDRAWN), 7, 20, "silent"),
    ],
)
def test_the_latest_valid_visible_assertion_wins(
    history: tuple[Assertion, ...], at: int, known_at: int, expected: str | None
) -> None:
    held = winner(history, day(at), day(known_at))
    assert (held and held.assertion_id) == expected


REPEATED = said("repeated", False, valid=7, recorded=7, position=5)
CHANGED = said("changed", True, valid=9, recorded=9, position=6)
BACK = said("back", False, valid=10, recorded=10, position=7)


@pytest.mark.parametrize(
    ("history", "at", "known_at", "expected"),
    [
        ((), 20, 20, None),
        ((SILENT,), 20, 20, 6),
        ((SILENT, REPEATED), 20, 20, 6),  # the same value again is no change
        ((SILENT, REPEATED, CHANGED), 20, 20, 9),
        ((SILENT, REPEATED, CHANGED, BACK), 20, 20, 10),
        ((SILENT, REPEATED, CHANGED, BACK), 9, 20, 9),
        ((SILENT, REPEATED, CHANGED, BACK), 8, 20, 6),
        ((SILENT, REPEATED, CHANGED, BACK), 20, 9, 9),  # "back" not yet known
        ((SILENT, REPEATED, CHANGED, BACK), 20, 8, 6),
    ],
)
def test_a_value_holds_since_its_last_change(
    history: tuple[Assertion, ...], at: int, known_at: int, expected: int | None
) -> None:
    since = holds_since(history, day(at), day(known_at))
    assert since == (None if expected is None else day(expected))


ANY = Question("q-any", "Any?", facts=("a", "b"), combine="any")
ALL = Question("q-all", "All?", facts=("a", "b"), combine="all")


def keyed(key: str, value: bool, valid: int, position: int) -> Assertion:
    from dataclasses import replace

    return replace(said(key, value, valid, valid, position), key=key)


@pytest.mark.parametrize(
    ("question", "facts", "expected"),
    [
        (ANY, {}, (None, None)),
        (ANY, {"a": (False, 6)}, (False, 6)),
        (ANY, {"a": (False, 6), "b": (False, 8)}, (False, 8)),  # false once all known are
        (ANY, {"a": (False, 6), "b": (True, 8)}, (True, 8)),
        (ANY, {"a": (True, 7), "b": (True, 8)}, (True, 7)),  # true from the first true key
        (ALL, {}, (None, None)),
        (ALL, {"a": (True, 6)}, (None, None)),  # one key unknown: no answer yet
        (ALL, {"a": (True, 6), "b": (True, 8)}, (True, 8)),
        (ALL, {"a": (True, 6), "b": (False, 8)}, (False, 8)),
        (ALL, {"a": (False, 6), "b": (False, 8)}, (False, 6)),
    ],
)
def test_a_question_combines_its_keys(
    question: Question,
    facts: dict[str, tuple[bool, int]],
    expected: tuple[bool | None, int | None],
) -> None:
    history = {
        key: (keyed(key, value, valid, n),) for n, (key, (value, valid)) in enumerate(facts.items())
    }
    got = answer(question, history, day(20), day(20))
    value, since = expected
    assert (got.value, got.since) == (value, None if since is None else day(since))
    assert {a.key for a in got.evidence} == (
        set() if value is None else {k for k, (v, _) in facts.items() if v is value}
    )
