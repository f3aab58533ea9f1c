"""An editor's corrections, kept in the log with who and why: `assert`, `retract`."""

from __future__ import annotations

import click

from tracker import app
from tracker.cli import render_story as render
from tracker.cli.common import Context, json_option, pass_context

reason_option = click.option(
    "--reason", required=True, metavar="TEXT", help="Why: kept with the correction for good."
)
by_option = click.option(
    "--by", "by", metavar="NAME", help="Who corrects (default: your login name)."
)


@click.command("assert")
@click.argument("key")
@click.argument("value")
@click.option(
    "--at",
    "at",
    required=True,
    metavar="WHEN",
    help="Valid from (YYYY-MM-DD = from the start of that day UTC, or an ISO datetime).",
)
@click.option(
    "--source",
    required=True,
    metavar="URL-OR-TEXT",
    help="Where it is known from: a link, or the words that say it.",
)
@reason_option
@by_option
@json_option
@pass_context
def assert_(
    ctx: Context,
    key: str,
    value: str,
    at: str,
    source: str,
    reason: str,
    by: str | None,
    as_json: bool,
) -> None:
    """Assert a fact by hand: VALUE is true/false, yes/no, a whole number or a text."""
    ctx.show(
        lambda t: app.assert_fact(
            t,
            key,
            value,
            at=at,
            source=source,
            reason=reason,
            by=app.editor_login() if by is None else by,
        ),
        as_json,
        render.correction,
    )


@click.command()
@click.argument("assertion_id", metavar="ASSERTION-ID")
@reason_option
@by_option
@json_option
@pass_context
def retract(ctx: Context, assertion_id: str, reason: str, by: str | None, as_json: bool) -> None:
    """Retract an assertion (its id is in `ask --json` and `history --json`)."""
    ctx.show(
        lambda t: app.retract(
            t, assertion_id, reason=reason, by=app.editor_login() if by is None else by
        ),
        as_json,
        render.correction,
    )


COMMANDS = (assert_, retract)
