"""Corrections are events: an editor's retraction or assertion, with who and why."""

from __future__ import annotations

import getpass
import json
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from support.cli import run
from support.db import count
from support.story import Clock
from support.trackers import make_tracker

from tracker import app
from tracker.app import Tracker
from tracker.app.corrections import parse_key, parse_valid_from, parse_value
from tracker.domain.events import FactAsserted, FactRetracted, from_data, new_event
from tracker.errors import InputError, NotFoundError

KEY = "russia-ukraine/signed/ceasefire"
QUESTION = "ceasefire-signed"
LATER = timedelta(microseconds=1)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 1, 9, 9, 0, tzinfo=UTC))


@pytest.fixture
def seeded(migrated_url: str, clock: Clock) -> Iterator[Tracker]:
    built = make_tracker(migrated_url, clock=clock)
    app.seed(built)
    yield built
    built.close()


def corrections_in_log(url: str) -> int:
    return count(url, "SELECT count(*) FROM events WHERE stream = :s", s=app.CORRECTIONS)


def answer(tracker: Tracker, known_at: datetime | None = None) -> bool | None:
    value: bool | None = app.ask(tracker, QUESTION, known_at=known_at)["answer"]
    return value


def assert_yes(tracker: Tracker, clock: Clock, **fields: str) -> dict[str, Any]:
    clock.advance(hours=1)
    return app.assert_fact(
        tracker,
        KEY,
        "yes",
        at=fields.get("at", "2026-01-08"),
        source="https://example.org/ceasefire-signed",
        reason=fields.get("reason", "signed on the 8th; the article predates it"),
        by=fields.get("by", "alice"),
    )


# -- on every backend -----------------------------------------------------------------


def test_an_assertion_then_its_retraction_flip_the_answer_and_known_at_sees_each_in_turn(
    seeded: Tracker, clock: Clock
) -> None:
    seed_known = clock.now
    assert answer(seeded) is False
    asserted = assert_yes(seeded, clock)
    assert asserted["stream"] == "corrections" and asserted["by"] == "alice"
    assert asserted["value"] is True and asserted["valid_precision"] == "day"
    assert asserted["valid_from"] == "2026-01-08T00:00:00+00:00"
    assert asserted["answers"] == [
        {
            "question": QUESTION,
            "before": False,
            "after": True,
            "before_text": "no",
            "after_text": "yes",
        }
    ]
    assert answer(seeded) is True
    assert answer(seeded, known_at=clock.now - LATER) is False
    evidence = app.ask(seeded, QUESTION)["evidence"][0]
    assert evidence["assertion_id"] == asserted["event_id"]
    assert evidence["by"] == "alice" and evidence["source"]["url"].endswith("ceasefire-signed")

    clock.advance(hours=1)
    retracted = app.retract(seeded, asserted["event_id"], reason="the report was a hoax", by="bob")
    assert retracted["key"] == KEY and retracted["value"] is True
    assert [(a["before"], a["after"]) for a in retracted["answers"]] == [(True, False)]
    assert answer(seeded) is False
    assert answer(seeded, known_at=clock.now - LATER) is True
    assert answer(seeded, known_at=seed_known) is False

    changes = app.history(seeded, QUESTION)["changes"]
    assert [(c["kind"], c["by"], c["reason"], c["answer_after"]) for c in changes] == [
        ("asserted", None, None, False),
        ("asserted", "alice", "signed on the 8th; the article predates it", True),
        ("retracted", "bob", "the report was a hoax", False),
    ]
    steps = list(app.replay(seeded, since=asserted["position"]))
    assert [(s["type"], s["by"]) for s in steps] == [
        ("FactAsserted", "alice"),
        ("FactRetracted", "bob"),
    ]
    assert "by bob (the report was a hoax)" in steps[1]["summary"]
    assert {"question": QUESTION, "before": True, "after": False} in steps[1]["changes"]


def test_a_correction_that_flips_an_answer_is_an_alert_and_a_rebuild_agrees(
    seeded: Tracker, clock: Clock
) -> None:
    asserted = assert_yes(seeded, clock)
    clock.advance(hours=1)
    retracted = app.retract(seeded, asserted["event_id"], reason="hoax", by="bob")
    alerts = {
        a["position"]: (a["before"], a["after"])
        for a in app.list_alerts(seeded)["alerts"]
        if a["question"] == QUESTION
    }
    assert alerts[asserted["position"]] == (False, True)
    assert alerts[retracted["position"]] == (True, False)
    before = app.state(seeded)
    app.rebuild(seeded)
    assert app.state(seeded) == before
    assert app.ask(seeded, QUESTION, known_at=clock.now - LATER)["answer"] is True


def test_retracting_twice_or_what_is_no_assertion_is_refused_and_appends_nothing(
    seeded: Tracker, clock: Clock, migrated_url: str
) -> None:
    asserted = assert_yes(seeded, clock)
    app.retract(seeded, asserted["event_id"], reason="hoax", by="bob")
    count = corrections_in_log(migrated_url)
    with pytest.raises(InputError, match=r"already retracted: .* by bob \(hoax\)"):
        app.retract(seeded, asserted["event_id"], reason="again", by="carol")
    with pytest.raises(NotFoundError, match="no event with id"):
        app.retract(seeded, str(uuid.uuid4()), reason="gone", by="carol")
    statement = app.events(seeded, type_="StatementReported", limit=1)[0]["event_id"]
    with pytest.raises(InputError, match="is a StatementReported, not a FactAsserted"):
        app.retract(seeded, statement, reason="wrong speaker", by="carol")
    with pytest.raises(InputError, match="not an event id"):
        app.retract(seeded, "12345", reason="typo", by="carol")
    with pytest.raises(InputError, match="--reason: empty"):
        app.retract(seeded, asserted["event_id"], reason=" \n ", by="carol")
    assert corrections_in_log(migrated_url) == count
    assert answer(seeded) is False


def test_a_retraction_recorded_in_another_stream_counts_as_done(
    seeded: Tracker, clock: Clock
) -> None:
    wrong = app.ask(seeded, QUESTION)["evidence"][0]["assertion_id"]
    elsewhere = FactRetracted(key=KEY, assertion_id=wrong, reason="by a script")
    seeded.log.append("editor:script", [new_event(elsewhere, "s1", occurred_at=clock.now)])
    with pytest.raises(InputError, match=r"already retracted: .* in editor:script"):
        app.retract(seeded, wrong, reason="misread", by="alice")


def test_two_editors_retracting_one_assertion_at_once_cannot_both_succeed(
    migrated_url: str, clock: Clock
) -> None:
    editors = [make_tracker(migrated_url, clock=clock) for _ in range(4)]
    try:
        app.seed(editors[0])
        target = app.ask(editors[0], QUESTION)["evidence"][0]["assertion_id"]
        start = threading.Barrier(len(editors))
        outcomes: list[str] = []

        def editor(tracker: Tracker, name: str) -> None:
            start.wait()
            try:
                app.retract(tracker, target, reason=f"{name} saw it", by=name)
                outcomes.append("retracted")
            except InputError as exc:
                outcomes.append(str(exc))

        threads = [
            threading.Thread(target=editor, args=(t, f"editor{i}")) for i, t in enumerate(editors)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert outcomes.count("retracted") == 1, outcomes
        assert all("already retracted" in o for o in outcomes if o != "retracted")
        assert corrections_in_log(migrated_url) == 1
    finally:
        for tracker in editors:
            tracker.close()


# -- reading what the editor typed --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("YES", True),
        ("no", False),
        ("False", False),
        ("42", 42),
        ("-3", -3),
        ("several thousand", "several thousand"),
        ('"yes"', "yes"),
        ("3.5", "3.5"),
    ],
)
def test_a_value_is_a_boolean_a_whole_number_or_text(text: str, value: object) -> None:
    parsed = parse_value(text)
    assert parsed == value and type(parsed) is type(value)


@pytest.mark.parametrize("key", ["ceasefire", "a/b/c/d", "Russia/signed/x", "a//b", "a b/c"])
def test_a_key_must_be_subject_predicate_and_maybe_object(key: str) -> None:
    with pytest.raises(InputError, match="is not subject/predicate"):
        parse_key(key)


def test_a_day_alone_holds_from_its_start_and_the_future_is_refused() -> None:
    now = datetime(2026, 1, 9, 12, tzinfo=UTC)
    assert parse_valid_from("2026-01-08", now=now) == (datetime(2026, 1, 8, tzinfo=UTC), "day")
    assert parse_valid_from("2026-01-09T10:00:00+02:00", now=now) == (
        datetime(2026, 1, 9, 8, tzinfo=UTC),
        "instant",
    )
    for bad, message in [
        ("2026-01-10", "in the future"),
        ("2026-02-30", "not a valid date"),
        ("2026-01-08T10:00", "no timezone"),
        ("last week", "cannot read"),
    ]:
        with pytest.raises(InputError, match=message):
            parse_valid_from(bad, now=now)


def test_payloads_stored_before_who_and_why_decode_with_them_unset() -> None:
    old = from_data(FactRetracted, {"key": KEY, "assertion_id": "x", "reason": "misread"})
    assert old.by is None
    asserted = from_data(
        FactAsserted,
        {
            "key": KEY,
            "subject": "russia-ukraine",
            "predicate": "signed",
            "object": "ceasefire",
            "value": False,
            "valid_from": "2026-01-06T00:00:00+00:00",
            "valid_precision": "day",
            "evidence": {"document": "d"},
            "producer": {"kind": "curated"},
        },
    )
    assert asserted.by is None and asserted.reason is None


def test_the_editor_is_the_login_name_else_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGNAME", "ada")
    assert app.editor_login() == "ada"

    def no_login() -> str:
        raise OSError("no login name")

    monkeypatch.setattr(getpass, "getuser", no_login)
    assert app.editor_login() == "unknown"


# -- through the command line ---------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('corrections') / 'tracker.db'}"
    assert run("--db", url, "seed").returncode == 0
    return url


def cli_json(url: str, *args: str, env: dict[str, str] | None = None) -> Any:
    result = run("--db", url, *args, "--json", env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_assert_and_retract_on_the_command_line(cli_db: str) -> None:
    assert cli_json(cli_db, "ask", QUESTION)["answer"] is False
    asserted = cli_json(
        cli_db,
        "assert",
        KEY,
        "true",
        "--at",
        "2026-01-08",
        "--source",
        "Reuters: the ceasefire was signed in Istanbul on 8 January",
        "--reason",
        "the article predates the signing",
        env={"LOGNAME": "ada"},
    )
    assert asserted["by"] == "ada" and asserted["quote"].startswith("Reuters:")
    assert cli_json(cli_db, "ask", QUESTION)["answer"] is True
    before = datetime.fromisoformat(asserted["recorded_at"]) - LATER
    then = cli_json(cli_db, "ask", QUESTION, "--known-at", before.isoformat())
    assert then["answer"] is False

    retracted = cli_json(
        cli_db, "retract", asserted["event_id"], "--reason", "Reuters withdrew it", "--by", "bob"
    )
    assert retracted["answers"][0]["after"] is False
    assert cli_json(cli_db, "ask", QUESTION)["answer"] is False
    between = datetime.fromisoformat(retracted["recorded_at"]) - LATER
    assert cli_json(cli_db, "ask", QUESTION, "--known-at", between.isoformat())["answer"] is True

    history = run("--db", cli_db, "history", QUESTION).stdout
    assert "asserted by ada: the article predates the signing" in history
    assert "retracted by bob: Reuters withdrew it" in history
    replay = run("--db", cli_db, "replay", "--since", str(asserted["position"])).stdout
    assert f"retracted {KEY} by bob (Reuters withdrew it)" in replay
    assert "answer ceasefire-signed: true -> false" in replay

    again = run("--db", cli_db, "retract", asserted["event_id"], "--reason", "twice")
    assert again.returncode == 2 and "already retracted" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    stream = cli_json(cli_db, "events", "--stream", "corrections")
    assert [e["type"] for e in stream] == ["FactAsserted", "FactRetracted"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["retract", str(uuid.UUID(int=7)), "--reason", "x"], "no event with id"),
        (["retract", "not-an-id", "--reason", "x"], "is not an event id"),
        (["retract", str(uuid.UUID(int=7)), "--reason", "  "], "--reason: empty"),
        (["assert", "ceasefire", "true", "--at", "2026-01-08"], "is not subject/predicate"),
        (["assert", KEY, "", "--at", "2026-01-08"], "VALUE: empty"),
        (["assert", KEY, "true", "--at", "soon"], "--at: cannot read"),
        (["assert", KEY, "true", "--at", "2999-01-01"], "in the future"),
        (["assert", KEY, "true", "--at", "2026-01-08", "--reason", ""], "--reason: empty"),
        (["assert", KEY, "true", "--at", "2026-01-08", "--by", " "], "--by: empty"),
        (
            ["assert", KEY, "true", "--at", "2026-01-08", "--source", "https://u:p@x.org/"],
            "credentials",
        ),
        (["assert", KEY, "true"], "Missing option '--at'"),
    ],
)
def test_a_bad_correction_is_one_line_exit_2_and_appends_nothing(
    cli_db: str, args: list[str], message: str
) -> None:
    defaults = {"--source": "a wire report", "--reason": "checked"}
    extra = [x for k, v in defaults.items() if k not in args for x in (k, v)]
    if args[0] == "retract":
        extra = []
    count = corrections_in_log(cli_db)
    result = run("--db", cli_db, *args, *extra)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert corrections_in_log(cli_db) == count
