"""The story commands end to end, through the real `tracker` command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.cli import run


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'tracker.db'}"
    first = run("--db", url, "seed")
    assert first.returncode == 0 and "events appended" in first.stdout, first.stderr
    return url


def test_seed_twice_says_nothing_was_appended(seeded: str) -> None:
    again = run("--db", seeded, "seed", "--json")
    assert json.loads(again.stdout)["appended"] == 0
    assert "already seeded" in run("--db", seeded, "seed").stdout


def test_ask_answers_with_evidence_as_json(seeded: str) -> None:
    view = json.loads(
        run("--db", seeded, "ask", "moscow-commented", "--at", "2026-01-06", "--json").stdout
    )
    assert view["answer"] is False and view["answer_text"] == "no"
    assert view["at"] == "2026-01-06T23:59:59.999999+00:00"
    assert view["evidence"][0]["key"] == "moscow/commented-on/paris-meeting"
    before = json.loads(
        run("--db", seeded, "ask", "moscow-commented", "--at", "2026-01-05", "--json").stdout
    )
    assert before["answer"] is None and before["evidence"] == []
    text = run("--db", seeded, "ask", "us-backs-guarantees", "--at", "2026-01-06").stdout
    assert "answer: YES since 2026-01-06" in text


def test_state_lists_answers_and_facts(seeded: str) -> None:
    view = json.loads(run("--db", seeded, "state", "--at", "2026-01-06", "--json").stdout)
    assert {a["question"] for a in view["answers"]} >= {"moscow-commented", "ceasefire-signed"}
    keys = {f["key"] for f in view["facts"]}
    assert "france/could-deploy/troops" in keys and len(keys) > 40
    hubs = next(
        f for f in view["facts"] if f["key"] == "united-kingdom/will-establish/military-hubs"
    )
    assert hubs["modality"] == "conditional" and hubs["condition"] == "if a ceasefire is achieved"
    early = json.loads(run("--db", seeded, "state", "--at", "2026-01-05", "--json").stdout)
    assert early["facts"] == []


def test_history_events_statements_and_replay_as_json(seeded: str) -> None:
    history = json.loads(run("--db", seeded, "history", "moscow-commented", "--json").stdout)
    assert history["changes"][0]["answer_after"] is False
    events = json.loads(
        run(
            "--db", seeded, "events", "--type", "StatementReported", "--limit", "3", "--json"
        ).stdout
    )
    assert len(events) == 3 and {e["type"] for e in events} == {"StatementReported"}
    said = json.loads(run("--db", seeded, "statements", "--by", "Macron", "--json").stdout)
    assert [s["speaker"] for s in said] == ["macron", "macron"]
    assert said[0]["quote"] == "several thousand"
    steps = json.loads(run("--db", seeded, "replay", "--until", "3", "--json").stdout)
    assert [s["position"] for s in steps] == [1, 2, 3]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", "has-it-rained"], "unknown question 'has-it-rained'"),
        (["ask", "moscow-commented", "--at", "yesterday-ish"], "--at: cannot read"),
        (["ask", "moscow-commented", "--known-at", "2026-01-06T10:00"], "no timezone"),
        (["state", "--at", "2026-02-30"], "not a valid date"),
        (["history", "no/such/key"], "neither a question nor a known fact key"),
        (["statements", "--by", "Napoleon"], "unknown actor 'Napoleon'"),
        (["events", "--limit", "0"], "--limit"),
        (["rebuild", "--projection", "nope"], "unknown projection 'nope'"),
        (["replay", "--since", "last tuesday"], "--since: cannot read"),
    ],
)
def test_bad_input_is_one_line_and_exit_status_2(
    seeded: str, args: list[str], message: str
) -> None:
    result = run("--db", seeded, *args)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_every_command_is_documented_in_the_readme() -> None:
    from tracker.cli import cli

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    for name, command in cli.commands.items():
        subcommands = getattr(command, "commands", {name: command})
        for sub in subcommands:
            spelled = f"tracker {name}" if sub == name else f"tracker {name} {sub}"
            assert spelled in readme, f"{spelled} is not documented"
