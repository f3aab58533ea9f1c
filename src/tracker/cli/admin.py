"""The database's schema and the projections: `db upgrade`, `db status`, `rebuild`,
`projections`."""

from __future__ import annotations

from typing import Any

import click

from tracker import app
from tracker.app import Tracker
from tracker.cli import render_story as render
from tracker.cli.common import Context, json_option, pass_context


@click.group()
def db() -> None:
    """The database schema."""


def _status_dict(status: Any, tracker: Tracker) -> dict[str, Any]:
    embedded = tracker.engine.dialect.name == "sqlite"
    return {
        "current": status.current,
        "head": status.head,
        "up_to_date": status.up_to_date,
        "database": app.database_shown(tracker),
        "migrates_itself": embedded,
    }


@db.command("upgrade")
@json_option
@pass_context
def db_upgrade(ctx: Context, as_json: bool) -> None:
    """Migrate the database to the newest schema."""
    ctx.show(
        lambda t: _status_dict(app.upgrade_database(t), t),
        as_json,
        render.schema_status,
        check_schema=False,
    )


@db.command("status")
@json_option
@pass_context
def db_status(ctx: Context, as_json: bool) -> None:
    """Show the database's schema revision."""
    ctx.show(
        lambda t: _status_dict(app.database_status(t), t),
        as_json,
        render.schema_status,
        check_schema=False,
    )


@click.command()
@click.option("--projection", "names", multiple=True, help="Only this projection (repeatable).")
@json_option
@pass_context
def rebuild(ctx: Context, names: tuple[str, ...], as_json: bool) -> None:
    """Drop the projections and replay the whole log into them."""
    ctx.show(lambda t: app.rebuild(t, list(names) or None), as_json, render.rebuilt)


@click.command()
@json_option
@pass_context
def projections(ctx: Context, as_json: bool) -> None:
    """Each projection's checkpoint, lag and error, as they stand (a read: nothing written)."""
    ctx.show(app.projection_status, as_json, render.projection_status)


@click.command("catch-up")
@json_option
@pass_context
def catch_up(ctx: Context, as_json: bool) -> None:
    """Bring every projection up to the end of the log; prints the events each applied."""
    ctx.show(app.catch_up, as_json, render.caught_up)


COMMANDS = (db, rebuild, projections, catch_up)
