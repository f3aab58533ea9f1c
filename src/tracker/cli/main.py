"""The ``tracker`` command line: parse options, call one use case, print text or JSON.

Each noun's commands live in a module of their own (feeds, stories, reads, corrections,
alerts, service, admin); their text renderers in ``render_story`` and ``render_service``.
"""

from __future__ import annotations

import io
import re
import sys
from typing import TextIO

import click

from tracker.cli import admin, alerts, corrections, feeds, reads, service, stories
from tracker.cli.common import Context
from tracker.errors import TrackerError, shown


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
    # An empty value (an unset shell variable) would fall back to the default database,
    # or read the working directory as the config: refused rather than guessed.
    for option, value in (("--db", db), ("--config", config)):
        if value is not None and not value.strip():
            raise click.UsageError(f"{option}: empty; give a value or leave the option out")
    ctx.obj = Context(db, config)


for module in (admin, stories, reads, corrections, feeds, alerts, service):
    for command in module.COMMANDS:
        cli.add_command(command)


_TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class PrintableText(io.TextIOBase):
    """A text stream that drops control characters (but newline and tab) on the way out.

    Feed text is cleaned when stored, but a database written by an older tracker, a
    feed's name or a server's words in an error may still carry an escape sequence:
    whatever tracker prints, to a terminal or a pipe, cannot retitle or recolour it.
    """

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.inner.encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return self.inner.errors

    def write(self, text: str) -> int:
        self.inner.write(_TERMINAL_CONTROL.sub("", text))
        return len(text)

    def flush(self) -> None:
        self.inner.flush()

    def isatty(self) -> bool:
        return self.inner.isatty()

    def fileno(self) -> int:
        return self.inner.fileno()

    def writable(self) -> bool:
        return True


def main() -> None:
    """Run the CLI; our errors become one line on stderr and a non-zero exit."""
    sys.stdout = PrintableText(sys.stdout)
    sys.stderr = PrintableText(sys.stderr)
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        # One line, usage errors included: the command's --help has the rest.
        click.echo(f"error: {shown(exc.format_message())}", err=True)
        sys.exit(exc.exit_code)
    except TrackerError as exc:
        click.echo(f"error: {shown(str(exc))}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
