"""Reading the story, at any valid time as known at any transaction time: `ask`, `state`,
`history`, `replay`, `events`, `statements`."""

from __future__ import annotations

import click

from tracker import app
from tracker.cli import render_story as render
from tracker.cli.common import (
    Context,
    at_option,
    bound,
    json_option,
    known_at_option,
    moments,
    pass_context,
    story_option,
)


@click.command()
@click.argument("question")
@story_option
@at_option
@known_at_option
@json_option
@pass_context
def ask(
    ctx: Context,
    question: str,
    story: str | None,
    at: str | None,
    known_at: str | None,
    as_json: bool,
) -> None:
    """Answer one question (see `tracker state` for their ids)."""
    ctx.show(
        lambda t: app.ask(t, question, story=story, **moments(t, at, known_at)),
        as_json,
        render.answer,
    )


@click.command()
@story_option
@at_option
@known_at_option
@json_option
@pass_context
def state(
    ctx: Context, story: str | None, at: str | None, known_at: str | None, as_json: bool
) -> None:
    """Every question's answer and every fact holding at a date."""
    ctx.show(lambda t: app.state(t, story=story, **moments(t, at, known_at)), as_json, render.state)


@click.command()
@click.argument("key_or_question", metavar="KEY-OR-QUESTION")
@story_option
@at_option
@known_at_option
@json_option
@pass_context
def history(
    ctx: Context,
    key_or_question: str,
    story: str | None,
    at: str | None,
    known_at: str | None,
    as_json: bool,
) -> None:
    """Every change to a fact key, or to the facts behind a question."""
    ctx.show(
        lambda t: app.history(t, key_or_question, story=story, **moments(t, at, known_at)),
        as_json,
        render.history,
    )


@click.command()
@click.option("--since", metavar="WHEN|POSITION", help="From this position or recorded time.")
@click.option("--until", metavar="WHEN|POSITION", help="Up to this position or recorded time.")
@story_option
@at_option
@known_at_option
@json_option
@pass_context
def replay(
    ctx: Context,
    since: str | None,
    until: str | None,
    story: str | None,
    at: str | None,
    known_at: str | None,
    as_json: bool,
) -> None:
    """Replay the log in order, showing what each event changed."""

    def steps(tracker: app.Tracker) -> list[dict[str, object]]:
        now = tracker.clock()
        return list(
            app.replay(
                tracker,
                since=bound("--since", since, now),
                until=bound("--until", until, now),
                story=story,
                **moments(tracker, at, known_at),
            )
        )

    ctx.show(steps, as_json, render.replay)


@click.command()
@click.option("--stream", help="Only this stream (e.g. doc:<id>).")
@click.option("--type", "type_", help="Only this event type (e.g. FactAsserted).")
@click.option("--limit", type=click.IntRange(1, 1_000_000), default=100, show_default=True)
@click.option(
    "--after", type=click.IntRange(0, 2**63 - 1), default=0, help="Start after this position."
)
@json_option
@pass_context
def events(
    ctx: Context, stream: str | None, type_: str | None, limit: int, after: int, as_json: bool
) -> None:
    """Show events from the log."""
    ctx.show(
        lambda t: app.events(t, stream=stream, type_=type_, limit=limit, after=after),
        as_json,
        render.events,
    )


@click.command()
@click.option("--by", "by", metavar="ACTOR", help="An actor id or alias, or a side (russia).")
@story_option
@at_option
@known_at_option
@json_option
@pass_context
def statements(
    ctx: Context,
    by: str | None,
    story: str | None,
    at: str | None,
    known_at: str | None,
    as_json: bool,
) -> None:
    """Attributed statements: who said what, when, about what."""
    ctx.show(
        lambda t: app.statements(t, by=by, story=story, **moments(t, at, known_at)),
        as_json,
        lambda found: render.statements(found, by),
    )


COMMANDS = (ask, state, history, replay, events, statements)
