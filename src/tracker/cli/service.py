"""The long-running processes and their state: `run`, `serve`, `status`."""

from __future__ import annotations

import sys

import click

from tracker import app
from tracker.cli import render_service as render
from tracker.cli.common import Context, json_option, pass_context


@click.command()
@pass_context
def run(ctx: Context) -> None:
    """Run the background service: poll feeds on schedule, keep projections current."""
    from tracker.service import Service, configure_logging

    configure_logging()
    with ctx.tracker() as tracker:
        Service(tracker).run()


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but loopback lets others read the story.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8080,
    show_default=True,
    help="Port to listen on (0: any free port, printed at start).",
)
@pass_context
def serve(ctx: Context, host: str, port: int) -> None:
    """Serve the read-only HTTP API (/api) and the story pages (/stories)."""
    from tracker.web.server import address_of, is_loopback, listen
    from tracker.web.server import serve as serve_on

    with ctx.tracker() as tracker:
        sock = listen(host, port)
        if not is_loopback(sock):
            click.echo(
                f"warning: listening on {host}, not loopback: whoever reaches it reads the story",
                err=True,
            )
        click.echo(f"serving {address_of(sock)}/stories (API: /api, /api/openapi.json)")
        sys.stdout.flush()
        serve_on(tracker, sock)


@click.command()
@json_option
@pass_context
def status(ctx: Context, as_json: bool) -> None:
    """Every service process on this database, which one leads, and the last polls."""
    ctx.show(app.service_status, as_json, render.service_status)


COMMANDS = (run, serve, status)
