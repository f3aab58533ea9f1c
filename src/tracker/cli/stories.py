"""Starting and shaping stories: `stories`, `questions add`, `seed`, `ingest`."""

from __future__ import annotations

from pathlib import Path

import click

from tracker import app
from tracker.cli import render_story as render
from tracker.cli.common import (
    Context,
    at_option,
    json_option,
    known_at_option,
    moments,
    pass_context,
    story_option,
    when,
)


@click.group(invoke_without_command=True)
@at_option
@known_at_option
@json_option
@click.pass_context
def stories(click_ctx: click.Context, at: str | None, known_at: str | None, as_json: bool) -> None:
    """The stories followed (`stories list`, the default), and starting one (`stories add`)."""
    if click_ctx.invoked_subcommand is None:
        click_ctx.invoke(stories_list, at=at, known_at=known_at, as_json=as_json)


@stories.command("list")
@at_option
@known_at_option
@json_option
@pass_context
def stories_list(
    ctx: Context, at: str | None = None, known_at: str | None = None, as_json: bool = False
) -> None:
    """Each story with its questions' answers."""
    ctx.show(lambda t: app.stories(t, **moments(t, at, known_at)), as_json, render.stories)


@stories.command("add")
@click.argument("source", metavar="FILE-OR-URL")
@click.option("--id", "story_id", required=True, help="The new story's id (lowercase, hyphens).")
@click.option("--title", help="Its title (default: the article's).")
@click.option(
    "--published",
    metavar="WHEN",
    help="When the article was published (default: the page's date, else now).",
)
@json_option
@pass_context
def stories_add(
    ctx: Context,
    source: str,
    story_id: str,
    title: str | None,
    published: str | None,
    as_json: bool,
) -> None:
    """Start a story from an article: its facts and statements, and stories/ID.toml."""
    ctx.show(
        lambda t: app.add_story(
            t,
            source,
            story_id=story_id,
            title=title,
            published=when("--published", published, t.clock()),
        ),
        as_json,
        render.story_added,
    )


@click.group()
def questions() -> None:
    """A story's questions."""


def _csv(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


@questions.command("add")
@story_option
@click.option("--id", "question_id", required=True, help="The question's id (lowercase, hyphens).")
@click.option("--text", required=True, help="The question, as people ask it.")
@click.option(
    "--fact", "facts", multiple=True, required=True, help="A fact key (subject/predicate[/object])."
)
@click.option("--combine", type=click.Choice(["any", "all"]), default="any", show_default=True)
@click.option("--action", "actions", multiple=True, help="Event rule: a verb that does it.")
@click.option("--negative-action", "negative_actions", multiple=True, help="...that undoes it.")
@click.option("--object", "objects", multiple=True, help="Event rule: what it is done to.")
@click.option("--agent", help="Event rule: the side that must do it (see extraction.toml).")
@click.option("--side", help="Statement rule: the side whose words answer it.")
@click.option("--topic", "topics", multiple=True, help="Statement rule: what they speak about.")
@json_option
@pass_context
def questions_add(
    ctx: Context,
    story: str | None,
    question_id: str,
    text: str,
    facts: tuple[str, ...],
    combine: str,
    actions: tuple[str, ...],
    negative_actions: tuple[str, ...],
    objects: tuple[str, ...],
    agent: str | None,
    side: str | None,
    topics: tuple[str, ...],
    as_json: bool,
) -> None:
    """Add a question to a story's file (and a rule that answers it from feeds)."""
    new = app.NewQuestion(
        id=question_id,
        text=text,
        facts=facts,
        combine=combine,
        actions=_csv(actions),
        negative_actions=_csv(negative_actions),
        objects=_csv(objects),
        agent=agent,
        side=side,
        topics=_csv(topics),
    )
    ctx.show(lambda t: app.add_question(t, story, new), as_json, render.question_added)


@click.command()
@json_option
@pass_context
def seed(ctx: Context, as_json: bool) -> None:
    """Append the seed article (Paris summit, 6 January 2026) and its facts."""
    ctx.show(app.seed, as_json, render.seeded)


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True))
@click.option(
    "--published",
    required=True,
    metavar="WHEN",
    help="When it was published (YYYY-MM-DD or an ISO datetime with offset).",
)
@click.option("--url", help="Where it was published (its identity when given).")
@click.option("--title", help="Its title (default: the file's first line).")
@json_option
@pass_context
def ingest(
    ctx: Context, file: Path, published: str, url: str | None, title: str | None, as_json: bool
) -> None:
    """Store an article file, with the statements and answers extraction finds."""

    def stored(tracker: app.Tracker) -> dict[str, object]:
        moment = when("--published", published, tracker.clock())
        assert moment is not None
        return app.ingest_file(tracker, file, published=moment, url=url, title=title)

    ctx.show(stored, as_json, render.ingested)


COMMANDS = (stories, questions, seed, ingest)
