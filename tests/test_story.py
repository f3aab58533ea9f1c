"""The seed story: every fact an event, answers at any date, as known at any date."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from support.story import MOSCOW_KEY, Clock, assert_event, dump, fact
from support.trackers import make_tracker, migrated

from tracker import app
from tracker.app import Tracker
from tracker.domain.events import (
    FactRetracted,
    new_event,
)
from tracker.domain.log import NewEvent, event_id_for
from tracker.domain.story import fold
from tracker.domain.upcasting import UPCASTERS
from tracker.ingest.curated import load_curated
from tracker.projections.facts import FactsProjection
from tracker.projections.runner import ProjectionFailed, ProjectionRunner, RebuildsInBulk
from tracker.projections.timeline import END_OF_TIME, TimelineReader
from tracker.store.driver import Driver

D5 = datetime(2026, 1, 5, 23, 59, 59, 999999, tzinfo=UTC)
D6 = datetime(2026, 1, 6, 23, 59, 59, 999999, tzinfo=UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 1, 7, 9, 0, tzinfo=UTC))


@pytest.fixture
def story(migrated_url: str, clock: Clock) -> Iterator[Tracker]:
    built = make_tracker(migrated_url, clock=clock)
    yield built
    built.close()


# -- the curated article -------------------------------------------------------------


def _sentences(text: str) -> list[str]:
    body = text.split("\n\n", 2)[-1]
    pieces = re.split(r"(?<=[.!?])\s+|(?<=[.!?][\"'])\s+|\n+", body)
    return [s.strip() for s in pieces if len(s.split()) > 6]


def test_every_curated_quote_and_sentence_is_verbatim_from_the_article() -> None:
    curated = load_curated()
    article = curated.document.content
    for item in curated.facts:
        assert item.evidence.quote and item.evidence.quote in article, item.key
    for said in curated.statements:
        assert said.evidence.sentence in article, said.statement_key
        assert said.quote is None or said.quote in article, said.statement_key


def test_every_sentence_of_the_article_is_carried_by_some_event() -> None:
    curated = load_curated()
    carried = [f.evidence.quote or "" for f in curated.facts]
    carried += [s.evidence.sentence or "" for s in curated.statements]
    missing = [
        sentence
        for sentence in _sentences(curated.document.content)
        if not any(piece and (piece in sentence or sentence in piece) for piece in carried)
    ]
    assert missing == []


def test_each_statement_speaker_is_a_configured_actor(story: Tracker) -> None:
    for said in load_curated().statements:
        assert story.story.resolve_actor(said.speaker) is not None, said.speaker


# -- seeding and asking ------------------------------------------------------------------


def test_seed_appends_once_and_a_second_run_appends_nothing(story: Tracker) -> None:
    first = app.seed(story)
    curated = load_curated()
    assert first["appended"] == 1 + len(curated.facts) + len(curated.statements)
    assert first["appended"] > 50
    again = app.seed(story)
    assert again["appended"] == 0 and again["already_stored"] == first["appended"]
    assert story.log.last_position() == first["appended"]


def test_moscow_had_not_commented_on_the_day_and_nothing_was_known_before(story: Tracker) -> None:
    app.seed(story)
    on_the_day = app.ask(story, "moscow-commented", at=D6)
    assert on_the_day["answer"] is False
    assert on_the_day["since"].startswith("2026-01-06")
    (evidence,) = on_the_day["evidence"]
    assert "Moscow had not issued any specific comments" in evidence["quote"]
    assert app.ask(story, "moscow-commented", at=D5)["answer"] is None
    assert app.ask(story, "us-backs-guarantees", at=D6)["answer"] is True
    for question in (
        "ceasefire-signed",
        "guarantees-ratified",
        "french-troops-deployed",
        "uk-france-hubs-established",
    ):
        assert app.ask(story, question, at=D6)["answer"] is False, question


def test_known_at_before_the_seed_knows_nothing(story: Tracker, clock: Clock) -> None:
    before = clock.now - timedelta(seconds=1)
    app.seed(story)
    assert app.ask(story, "moscow-commented", at=D6, known_at=before)["answer"] is None
    assert app.state(story, at=D6, known_at=before)["facts"] == []


def test_a_later_reaction_changes_the_answer_from_its_valid_time_only(
    story: Tracker, clock: Clock
) -> None:
    app.seed(story)
    seeded_at = clock.now
    reacted_on = datetime(2026, 1, 8, tzinfo=UTC)
    clock.advance(days=2)
    assert_event(story, fact(MOSCOW_KEY, True, reacted_on), "reaction")
    story.runner.catch_up()
    assert app.ask(story, "moscow-commented", at=D6 + timedelta(days=1))["answer"] is False
    after = app.ask(story, "moscow-commented", at=D6 + timedelta(days=2))
    assert after["answer"] is True and after["since"].startswith("2026-01-08")
    known_then = app.ask(story, "moscow-commented", at=D6 + timedelta(days=2), known_at=seeded_at)
    assert known_then["answer"] is False


def test_a_retraction_removes_an_assertion_from_when_it_was_recorded(
    story: Tracker, clock: Clock
) -> None:
    app.seed(story)
    seeded_at = clock.now
    clock.advance(hours=1)
    wrong = assert_event(story, fact(MOSCOW_KEY, True, datetime(2026, 1, 6, tzinfo=UTC)), "wrong")
    clock.advance(hours=1)
    retraction = FactRetracted(key=MOSCOW_KEY, assertion_id=str(wrong.event_id), reason="misread")
    story.log.append("corrections", [new_event(retraction, "r1", occurred_at=clock.now)])
    story.runner.catch_up()
    # The wrong assertion won for the hour it stood (same valid time, later position).
    assert (
        app.ask(story, "moscow-commented", at=D6, known_at=seeded_at + timedelta(minutes=90))[
            "answer"
        ]
        is True
    )
    assert app.ask(story, "moscow-commented", at=D6)["answer"] is False
    assert app.ask(story, "moscow-commented", at=D6, known_at=seeded_at)["answer"] is False
    kinds = [c["kind"] for c in app.history(story, "moscow-commented")["changes"]]
    assert kinds == ["asserted", "asserted", "retracted"]
    assert len(story.log.read_stream("doc:test-wrong")) == 1  # the old event stays


# -- projections --------------------------------------------------------------------------


def test_rebuild_gives_the_same_state_as_incremental_updates(story: Tracker, clock: Clock) -> None:
    app.seed(story)
    rng = random.Random(7)
    for i in range(40):
        clock.advance(minutes=rng.randint(1, 600))
        key = rng.choice([MOSCOW_KEY, "russia-ukraine/signed/ceasefire", f"extra/k{i % 5}"])
        valid = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=rng.randint(0, 30))
        event = assert_event(story, fact(key, rng.choice([True, False]), valid), f"r{i}")
        if i % 7 == 3:
            retraction = FactRetracted(key=key, assertion_id=str(event.event_id), reason="test")
            story.log.append("corrections", [new_event(retraction, f"x{i}", occurred_at=clock.now)])
        if i % 10 == 0:
            story.runner.catch_up()  # incremental, in uneven steps
    story.runner.catch_up()
    incremental = dump(story)
    assert incremental["fact_timeline"] and incremental["answers"]
    app.rebuild(story)
    assert dump(story) == incremental


def test_a_rebuild_on_postgres_leaves_the_timeline_vacuumed_and_analysed(
    postgres_url: str, clock: Clock
) -> None:
    tracker = make_tracker(migrated(postgres_url), clock=clock)
    try:
        app.seed(tracker)
        app.rebuild(tracker)
        with tracker.engine.connect() as conn:
            done = dict(
                conn.execute(
                    sa.text(
                        "SELECT relname, last_vacuum IS NOT NULL AND last_analyze IS NOT NULL "
                        "FROM pg_stat_user_tables WHERE relname IN "
                        "('fact_timeline', 'current_facts', 'answers')"
                    )
                ).all()
            )
        # Index-only as-of seeks need the visibility map a VACUUM writes.
        assert done == {"fact_timeline": True, "current_facts": True, "answers": True}
    finally:
        tracker.close()


def test_the_facts_projection_says_by_its_type_that_it_rebuilds_in_bulk(story: Tracker) -> None:
    # The runner asks the protocol, not the method's name: a renamed method would
    # quietly turn every rebuild of a million-event timeline into an event-by-event one.
    bulk = [p.name for p in story.runner.projections if isinstance(p, RebuildsInBulk)]
    assert bulk == ["facts"]


def test_a_rebuild_keeps_valid_times_written_with_an_offset_comparable(
    story: Tracker, clock: Clock
) -> None:
    # A payload time in another offset than UTC is not in the stored form: the set-wise
    # rebuild must hand it to the event-by-event path, which normalises it.
    event = new_event(fact("offset/k", 1, clock.now), "test", "offset", occurred_at=clock.now)
    shifted = replace(event, data={**event.data, "valid_from": "2026-01-06T03:00:00+02:00"})
    story.log.append("doc:test-offset", [shifted])
    half_past_one = datetime(2026, 1, 6, 1, 30, tzinfo=UTC)
    for build in (story.runner.catch_up, lambda: app.rebuild(story)):
        build()
        held = {row.key: row for row in story.queries.state_at(half_past_one, END_OF_TIME)}
        assert held["offset/k"].valid_from.isoformat() == "2026-01-06T01:00:00+00:00"
        assert not story.queries.state_at(datetime(2026, 1, 6, 0, 30, tzinfo=UTC), END_OF_TIME)


def _assert_at_random(
    story: Tracker,
    clock: Clock,
    rng: random.Random,
    count: int,
    pick: Callable[[random.Random], tuple[str, object, datetime]],
    *,
    retract: float,
) -> list[datetime]:
    """``count`` assertions made by ``pick``, one in ``retract`` of them retracted a few
    minutes later; returns the transaction time before the first and after each."""
    checkpoints = [clock.now]
    for i in range(count):
        clock.advance(minutes=rng.randint(1, 300))
        key, value, valid = pick(rng)
        event = assert_event(story, fact(key, value, valid), f"f{i}")
        if rng.random() < retract:
            clock.advance(minutes=5)
            retraction = FactRetracted(key=key, assertion_id=str(event.event_id), reason="t")
            story.log.append("corrections", [new_event(retraction, f"y{i}", occurred_at=clock.now)])
        checkpoints.append(clock.now)
    return checkpoints


def test_the_stored_views_answer_as_the_pure_fold_does(story: Tracker, clock: Clock) -> None:
    app.seed(story)

    def pick(rng: random.Random) -> tuple[str, object, datetime]:
        key = f"k/{rng.randint(0, 6)}"
        valid = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=rng.randint(0, 24 * 20))
        return key, rng.randint(0, 3), valid

    checkpoints = _assert_at_random(story, clock, random.Random(11), 60, pick, retract=0.2)
    story.runner.catch_up()
    folded = fold(story.log.iter_after(0))
    moments = [datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=d) for d in (0, 3, 9, 15, 25)]
    for known_at in [*checkpoints[::7], END_OF_TIME]:
        for at in moments:
            stored = {
                row.key: (row.assertion_id, row.value)
                for row in story.queries.state_at(at, known_at)
            }
            pure = {
                key: (a.assertion_id, a.value) for key, a in folded.facts_at(at, known_at).items()
            }
            assert stored == pure, (at, known_at)
            for question in story.story.questions:
                assert (
                    story.queries.answer(question, at, known_at).value
                    == folded.answer(question, at, known_at).value
                )


def test_an_answer_from_the_index_is_the_folds_with_its_since_and_evidence(
    story: Tracker, clock: Clock
) -> None:
    # Few valid times (ties), long runs of one value, nulls and retractions: every turn
    # of the rule for "since when" is taken somewhere.
    app.seed(story)
    keys = [key for question in story.story.questions for key in question.facts]
    moments = [datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=d) for d in range(0, 20, 2)]

    def pick(rng: random.Random) -> tuple[str, object, datetime]:
        value = rng.choice([True, True, True, False, False, None])
        key = rng.choice(keys[:3]) if rng.random() < 0.7 else rng.choice(keys)
        return key, value, rng.choice(moments)

    checkpoints = _assert_at_random(story, clock, random.Random(23), 150, pick, retract=0.15)
    story.runner.catch_up()
    folded = fold(story.log.iter_after(0))
    seen = set()
    for known_at in [*checkpoints[::10], END_OF_TIME]:
        for at in [*moments[::3], moments[-1] + timedelta(days=1)]:
            for question in story.story.questions:
                ours = story.queries.answer(question, at, known_at)
                pure = folded.answer(question, at, known_at)
                assert (
                    ours.value,
                    ours.since,
                    [a.assertion_id for a in ours.evidence],
                ) == (pure.value, pure.since, [a.assertion_id for a in pure.evidence])
                seen.add((ours.value, ours.since is not None and ours.since > moments[0]))
    # The comparison met every kind of answer, and answers holding since after a change.
    assert {(True, True), (False, True), (None, False)} <= seen


def test_pages_written_in_sql_equal_the_same_events_folded_one_by_one(
    story: Tracker, clock: Clock
) -> None:
    app.seed(story)
    keys = [key for question in story.story.questions for key in question.facts]

    def pick(rng: random.Random) -> tuple[str, object, datetime]:
        key = rng.choice(keys[:2]) if rng.random() < 0.5 else f"extra/k{rng.randint(0, 6)}"
        valid = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=rng.randint(0, 9))
        return key, rng.choice([True, False, None, "text: é"]), valid

    rng = random.Random(11)
    for round_ in range(4):  # caught up in uneven steps, one page a step
        _assert_at_random(story, clock, rng, 25, pick, retract=0.2)
        if round_ == 2:
            # A page with a payload at an older schema and a time in another offset:
            # SQL declines it, and the whole page goes event by event.
            old = new_event(
                fact("extra/old", True, clock.now), "test", "old", occurred_at=clock.now
            )
            data = {**old.data, "valid_from": "2026-01-03T02:00:00+02:00"}
            story.log.append("doc:test-old", [replace(old, data=data, schema_version=1)])
        story.runner.catch_up()
    in_sql = dump(story)
    assert len(in_sql["fact_timeline"]) > 100 and in_sql["answers"]
    assert any(row["retracted_at"] for row in in_sql["fact_timeline"])
    driver = Driver(story.engine)
    one_by_one = FactsProjection(
        driver, story.story.questions, TimelineReader(driver, UPCASTERS), set_wise=False
    )
    ProjectionRunner(story.log, [one_by_one], clock=clock).rebuild()
    assert dump(story) == in_sql


def test_a_failing_event_stops_its_projection_loudly_and_is_not_skipped(
    story: Tracker, clock: Clock
) -> None:
    app.seed(story)
    good_end = story.log.last_position()
    broken = NewEvent(
        event_id_for("broken"), "FactAsserted", {"no_key": True}, clock.now, schema_version=2
    )
    story.log.append("doc:broken", [broken])
    assert_event(story, fact("later/fact", True, clock.now), "later")
    with pytest.raises(ProjectionFailed, match=f"stopped at position {good_end}"):
        story.runner.catch_up()
    status = {row["name"]: row for row in app.projection_status(story)}
    assert status["facts"]["position"] == good_end and "KeyError" in status["facts"]["error"]
    assert status["statements"]["position"] == good_end + 2  # the others went on
    with story.engine.connect() as conn:
        keys = {r[0] for r in conn.execute(sa.text("SELECT key FROM fact_timeline"))}
    assert "later/fact" not in keys
    with pytest.raises(ProjectionFailed):  # and it stays stopped
        story.runner.catch_up()
    with pytest.raises(ProjectionFailed):  # a rebuild, set-wise or not, stops there too
        app.rebuild(story)


def test_replay_shows_what_each_event_changed(story: Tracker) -> None:
    app.seed(story)
    steps = list(app.replay(story))
    assert len(steps) == story.log.last_position()
    moscow = next(s for s in steps if MOSCOW_KEY in s["summary"])
    assert {"question": "moscow-commented", "before": None, "after": False} in moscow["changes"]
    window = list(app.replay(story, since=10, until=12))
    assert [s["position"] for s in window] == [10, 11, 12]
