"""The ``tracker`` command line: parse options, call one use case, print text or JSON."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from tracker import app
from tracker.app import Tracker
from tracker.bootstrap import bootstrap
from tracker.errors import TrackerError


class Context:
    def __init__(self, db: str | None, config: str | None) -> None:
        self.db = db
        self.config = config

    @contextmanager
    def tracker(self, *, check_schema: bool = True) -> Iterator[Tracker]:
        built = bootstrap(db_url=self.db, config_dir=self.config, check_schema=check_schema)
        try:
            yield built
        finally:
            built.close()


pass_context = click.make_pass_decorator(Context)


def emit(payload: Any, as_json: bool, render: Callable[[Any], str]) -> None:
    if as_json:
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(render(payload))


@click.group()
@click.option(
    "--db",
    metavar="URL",
    help="Database URL (default: TRACKER_DATABASE_URL, config, "
    "else an SQLite file in the user data directory).",
)
@click.option(
    "--config",
    metavar="DIR",
    help="Config directory (default: TRACKER_CONFIG, ./config, else the shipped copy).",
)
@click.version_option(package_name="tracker")
@click.pass_context
def cli(ctx: click.Context, db: str | None, config: str | None) -> None:
    """An event-sourced news update tracker."""
    ctx.obj = Context(db, config)


@cli.group()
def db() -> None:
    """The database schema."""


def _status_dict(status: Any) -> dict[str, Any]:
    return {"current": status.current, "head": status.head, "up_to_date": status.up_to_date}


def _render_status(payload: dict[str, Any]) -> str:
    state = "up to date" if payload["up_to_date"] else "behind; run `tracker db upgrade`"
    return f"schema {payload['current'] or '(none)'}, head {payload['head']}: {state}"


@db.command("upgrade")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def db_upgrade(ctx: Context, as_json: bool) -> None:
    """Migrate the database to the newest schema."""
    with ctx.tracker(check_schema=False) as tracker:
        emit(_status_dict(app.upgrade_database(tracker)), as_json, _render_status)


@db.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def db_status(ctx: Context, as_json: bool) -> None:
    """Show the database's schema revision."""
    with ctx.tracker(check_schema=False) as tracker:
        emit(_status_dict(app.database_status(tracker)), as_json, _render_status)


def main() -> None:
    """Run the CLI; our errors become one line on stderr and a non-zero exit."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except TrackerError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
