"""What every command shares: the context that builds a tracker, the options, one output path."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

import click

from tracker import app
from tracker.app import Tracker
from tracker.bootstrap import bootstrap
from tracker.domain.when import parse_bound, parse_when

T = TypeVar("T")

# Commands that only read: on a mistyped path they say there is no database; they create none.
READ_COMMANDS = {
    ("stories",),
    ("stories", "list"),
    ("ask",),
    ("state",),
    ("history",),
    ("replay",),
    ("events",),
    ("statements",),
    ("projections",),
    ("status",),
    ("feeds", "list"),
    ("feeds", "export"),
    ("db", "status"),
    ("serve",),
    ("alerts", "list"),
}
# Reads answered from the projections: when these are behind the log, a note says so.
VIEW_READS = {
    ("stories",),
    ("stories", "list"),
    ("ask",),
    ("state",),
    ("history",),
    ("statements",),
    ("alerts", "list"),
}


class Context:
    def __init__(self, db: str | None, config: str | None) -> None:
        self.db = db
        self.config = config

    @contextmanager
    def tracker(self, *, check_schema: bool = True) -> Iterator[Tracker]:
        # Nor does a retraction create a database: an assertion to retract is in an existing
        # log or nowhere.
        create = _command_path() not in (*READ_COMMANDS, ("retract",))
        built = bootstrap(
            db_url=self.db, config_dir=self.config, check_schema=check_schema, create=create
        )
        try:
            yield built
        finally:
            built.close()

    def show(
        self,
        use_case: Callable[[Tracker], T],
        as_json: bool,
        render: Callable[[T], str],
        *,
        check_schema: bool = True,
    ) -> T:
        """Run one use case on a tracker built for this command, close it, print the result."""
        with self.tracker(check_schema=check_schema) as tracker:
            result = use_case(tracker)
            behind = app.views_behind(tracker) if _command_path() in VIEW_READS else 0
        emit(result, as_json, render)
        if behind:
            # Reads never write: views a write left behind are shown as they are, and said.
            click.echo(
                f"note: the views are {behind} event{'s'[: behind != 1]} behind the log; "
                "`tracker catch-up` (or a running service) brings them up to date",
                err=True,
            )
        return result


pass_context = click.make_pass_decorator(Context)


def _command_path() -> tuple[str, ...]:
    names: list[str] = []
    ctx: click.Context | None = click.get_current_context(silent=True)
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return tuple(reversed(names))


def emit(payload: T, as_json: bool, render: Callable[[T], str]) -> None:
    """The one way a command prints its result: JSON, or the renderer's text (nothing when
    the text is empty, as for a replay with no events)."""
    if as_json:
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
        return
    text = render(payload)
    if text:
        click.echo(text)


# -- options -----------------------------------------------------------------------

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
at_option = click.option(
    "--at",
    "at",
    metavar="WHEN",
    help="Valid time: what was true then (YYYY-MM-DD = end of that day UTC; default now).",
)
story_option = click.option(
    "--story",
    "story",
    metavar="ID",
    help="Which story (default: the only one the database holds; see `tracker stories`).",
)
known_at_option = click.option(
    "--known-at",
    "known_at",
    metavar="WHEN",
    help="Transaction time: only what the tracker had recorded by then (default now).",
)


def when(option: str, value: str | None, now: datetime) -> datetime | None:
    """An option's date or datetime, None when not given; unreadable is a usage error."""
    return None if value is None else _read(parse_when, option, value, now)


def bound(option: str, value: str | None, now: datetime) -> datetime | int | None:
    """An option's log position or recorded time, None when not given."""
    return None if value is None else _read(parse_bound, option, value, now)


def _read(parse: Callable[..., T], option: str, value: str, now: datetime) -> T:
    try:
        return parse(value, now=now, option=option)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


def moments(tracker: Tracker, at: str | None, known_at: str | None) -> dict[str, Any]:
    """``--at`` and ``--known-at`` as the read use cases take them, read on the tracker's clock."""
    now = tracker.clock()
    return {"at": when("--at", at, now), "known_at": when("--known-at", known_at, now)}
