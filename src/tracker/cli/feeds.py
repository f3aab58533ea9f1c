"""The feeds followed and polling them now: `feeds add|list|remove|import|export`, `poll`."""

from __future__ import annotations

from pathlib import Path

import click

from tracker import app
from tracker.cli import render_service as render
from tracker.cli.common import Context, json_option, pass_context


@click.group()
def feeds() -> None:
    """The feeds tracker polls."""


@feeds.command("add")
@click.argument("url")
@click.option("--name", help="A short name (default: from the URL).")
@click.option("--every", metavar="INTERVAL", help="Poll interval: 15m, 2h, 1d (default 15m).")
@click.option(
    "--tag", "tags", multiple=True, metavar="TAG", help="A tag (repeatable; a/b is a path)."
)
@click.option(
    "--full-text",
    is_flag=True,
    help="Read each new entry's linked article, not only the feed's summary.",
)
@json_option
@pass_context
def feeds_add(
    ctx: Context,
    url: str,
    name: str | None,
    every: str | None,
    tags: tuple[str, ...],
    full_text: bool,
    as_json: bool,
) -> None:
    """Follow a feed."""
    ctx.show(
        lambda t: app.add_feed(t, url, name=name, every=every, tags=tags, full_text=full_text),
        as_json,
        render.feed_added,
    )


@feeds.command("list")
@json_option
@pass_context
def feeds_list(ctx: Context, as_json: bool) -> None:
    """Feeds with their health: last success, last error, failures, next poll."""
    ctx.show(app.list_feeds, as_json, render.feeds)


@feeds.command("remove")
@click.argument("name_or_url", metavar="NAME-OR-URL")
@json_option
@pass_context
def feeds_remove(ctx: Context, name_or_url: str, as_json: bool) -> None:
    """Stop following a feed (its documents stay in the log)."""
    ctx.show(lambda t: app.remove_feed(t, name_or_url), as_json, render.feed_removed)


@feeds.command("import")
@click.argument("file", type=click.Path(path_type=Path, allow_dash=True))
@json_option
@pass_context
def feeds_import(ctx: Context, file: Path, as_json: bool) -> None:
    """Follow the feeds an OPML file lists (folders and categories become tags).

    Feeds already followed are skipped; exit 1 when an outline was refused.
    """
    view = ctx.show(lambda t: app.import_opml(t, file), as_json, render.opml_import)
    total = sum(len(view[k]) for k in ("added", "already_present", "refused"))
    if view["refused"]:
        raise click.ClickException(f"{len(view['refused'])} of {total} outlines refused")


@feeds.command("export")
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to this file (default: standard output).",
)
@pass_context
def feeds_export(ctx: Context, output: Path | None) -> None:
    """Every followed feed as OPML 2.0, with tags, for any feed reader."""
    with ctx.tracker() as tracker:
        data = app.export_opml(tracker)
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        app.save_export(output, data)


@click.command()
@click.option("--feed", "feed_name", metavar="NAME", help="Poll only this feed.")
@click.option(
    "--all",
    "poll_all",
    is_flag=True,
    help="Poll every active feed, due or not (the default when --feed is not given).",
)
@click.option("--due", is_flag=True, help="Poll only feeds whose next poll is due.")
@json_option
@pass_context
def poll(ctx: Context, feed_name: str | None, poll_all: bool, due: bool, as_json: bool) -> None:
    """Poll feeds now, once, and print what each added."""
    if feed_name and (poll_all or due):
        raise click.UsageError("--feed cannot be combined with --all or --due")
    if poll_all and due:
        raise click.UsageError("--all and --due exclude each other")
    rows = ctx.show(lambda t: app.poll(t, feed_name=feed_name, due_only=due), as_json, render.polls)
    failed = [r["feed"] for r in rows if r["outcome"] == "error"]
    if failed:
        raise click.ClickException(
            f"{len(failed)} of {len(rows)} feeds failed: {', '.join(map(repr, failed))}"
        )


COMMANDS = (feeds, poll)
