"""Alerts sent when an answer changes: `alerts list`, `alerts test`."""

from __future__ import annotations

import click

from tracker import app
from tracker.cli import render_service as render
from tracker.cli.common import Context, json_option, pass_context


@click.group()
def alerts() -> None:
    """Alerts sent when an answer changes (channels in alerts.toml)."""


@alerts.command("list")
@json_option
@pass_context
def alerts_list(ctx: Context, as_json: bool) -> None:
    """Each channel's deliveries (sent, pending, failing, last error) and the latest alerts."""
    ctx.show(app.list_alerts, as_json, render.alerts)


@alerts.command("test")
@click.argument("channel")
@json_option
@pass_context
def alerts_test(ctx: Context, channel: str, as_json: bool) -> None:
    """Send a test message through one channel now."""
    view = ctx.show(lambda t: app.send_test_alert(t, channel), as_json, render.alert_test)
    if not view["ok"]:
        raise click.ClickException(f"{channel}: {view['error']}")


COMMANDS = (alerts,)
