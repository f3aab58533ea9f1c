"""The ``tracker`` command line: parse options, call one use case, print text or JSON."""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

import click

from tracker import app
from tracker.app import Tracker
from tracker.bootstrap import bootstrap
from tracker.domain.when import parse_bound, parse_when
from tracker.errors import TrackerError, shown


class Context:
    def __init__(self, db: str | None, config: str | None) -> None:
        self.db = db
        self.config = config

    @contextmanager
    def tracker(self, *, check_schema: bool = True) -> Iterator[Tracker]:
        # A read command on a mistyped path says there is no database; it creates none.
        create = _command_path() not in READ_COMMANDS
        built = bootstrap(
            db_url=self.db, config_dir=self.config, check_schema=check_schema, create=create
        )
        try:
            yield built
        finally:
            built.close()


pass_context = click.make_pass_decorator(Context)

READ_COMMANDS = {
    ("ask",),
    ("state",),
    ("history",),
    ("replay",),
    ("events",),
    ("statements",),
    ("projections",),
    ("status",),
    ("feeds", "list"),
    ("db", "status"),
    ("stories",),
    ("serve",),
    ("alerts", "list"),
}


def _command_path() -> tuple[str, ...]:
    names: list[str] = []
    ctx: click.Context | None = click.get_current_context(silent=True)
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return tuple(reversed(names))


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
    # An empty value (an unset shell variable) would fall back to the default database,
    # or read the working directory as the config: refused rather than guessed.
    for option, value in (("--db", db), ("--config", config)):
        if value is not None and not value.strip():
            raise click.UsageError(f"{option}: empty; give a value or leave the option out")
    ctx.obj = Context(db, config)


@cli.group()
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


def _render_status(payload: dict[str, Any]) -> str:
    state = "up to date"
    if not payload["up_to_date"]:
        state = (
            "behind; migrated on its next use by any command (or `tracker db upgrade`)"
            if payload["migrates_itself"]
            else "behind; run `tracker db upgrade`"
        )
    return (
        f"database {payload['database']}\n"
        f"schema {payload['current'] or '(none)'}, head {payload['head']}: {state}"
    )


@db.command("upgrade")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def db_upgrade(ctx: Context, as_json: bool) -> None:
    """Migrate the database to the newest schema."""
    with ctx.tracker(check_schema=False) as tracker:
        emit(_status_dict(app.upgrade_database(tracker), tracker), as_json, _render_status)


@db.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def db_status(ctx: Context, as_json: bool) -> None:
    """Show the database's schema revision."""
    with ctx.tracker(check_schema=False) as tracker:
        emit(_status_dict(app.database_status(tracker), tracker), as_json, _render_status)


# -- options -----------------------------------------------------------------------

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def _when(option: str, value: str | None, now: datetime) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_when(value, now=now, option=option)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


def _bound(option: str, value: str | None, now: datetime) -> datetime | int | None:
    if value is None:
        return None
    try:
        return parse_bound(value, now=now, option=option)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


at_option = click.option(
    "--at",
    "at",
    metavar="WHEN",
    help="Valid time: what was true then (YYYY-MM-DD = end of that day UTC; default now).",
)
known_at_option = click.option(
    "--known-at",
    "known_at",
    metavar="WHEN",
    help="Transaction time: only what the tracker had recorded by then (default now).",
)


# -- the story ----------------------------------------------------------------------


@cli.command()
@json_option
@pass_context
def stories(ctx: Context, as_json: bool) -> None:
    """The stories followed, with their questions."""
    with ctx.tracker() as tracker:
        found = app.stories(tracker)
    emit(
        found,
        as_json,
        lambda rows: "\n".join(
            f"{s['id']}: {s['title']} ({len(s['questions'])} questions)" for s in rows
        ),
    )


@cli.command()
@json_option
@pass_context
def seed(ctx: Context, as_json: bool) -> None:
    """Append the seed article (Paris summit, 6 January 2026) and its facts."""
    with ctx.tracker() as tracker:
        result = app.seed(tracker)
    emit(result, as_json, _render_seed)


def _render_seed(result: dict[str, Any]) -> str:
    if result["appended"] == 0:
        return (
            f"already seeded: nothing appended ({result['already_stored']} events "
            f"of {result['stream']} are in the log)"
        )
    return (
        f"seeded {result['stream']}: {result['appended']} events appended "
        f"({result['facts']} facts, {result['statements']} statements, 1 document)"
    )


def _yes_no(view: dict[str, Any]) -> str:
    since = f" since {view['since'][:10]}" if view["since"] else ""
    return f"{view['answer_text'].upper()}{since}"


def _source_line(source: dict[str, Any] | None, indent: str) -> list[str]:
    """Where a claim comes from, on one line: headline, feed, publication day and link."""
    if not source:
        return []
    where = ", ".join(filter(None, (source.get("feed"), (source.get("published_at") or "")[:10])))
    words = [f'"{source["title"]}"' if source.get("title") else None]
    words += [f"({where})" if where else None, source.get("url")]
    return [indent + "source: " + " ".join(w for w in words if w)]


def _render_answer(view: dict[str, Any]) -> str:
    lines = [
        f"{view['question']}: {view['text']}",
        f"  answer: {_yes_no(view)}",
        f"  at {view['at']}, as known at {view['known_at']}",
    ]
    for item in view["evidence"]:
        lines.append(
            f"  evidence: {item['key']} = {json.dumps(item['value'])} "
            f"(valid from {item['valid_from'][:10]}, {item['modality']}, "
            f"{item['producer']})"
        )
        if item["quote"]:
            lines.append(f'    "{item["quote"]}"')
        elif item.get("sentence"):
            lines.append(f"    sentence: {item['sentence']}")
        lines += _source_line(item.get("source"), "    ")
    return "\n".join(lines)


@cli.command()
@click.argument("question")
@at_option
@known_at_option
@json_option
@pass_context
def ask(ctx: Context, question: str, at: str | None, known_at: str | None, as_json: bool) -> None:
    """Answer one question (see `tracker state` for their ids)."""
    with ctx.tracker() as tracker:
        now = tracker.clock()
        view = app.ask(
            tracker,
            question,
            at=_when("--at", at, now),
            known_at=_when("--known-at", known_at, now),
        )
    emit(view, as_json, _render_answer)


def _render_state(view: dict[str, Any]) -> str:
    lines = [f"state at {view['at']}, as known at {view['known_at']}", "", "questions:"]
    for item in view["answers"]:
        lines.append(f"  {item['question']:<28} {_yes_no(item)}")
        for evidence in item["evidence"][:1]:
            lines += _source_line(evidence.get("source"), " " * 31)
    lines += ["", f"facts ({len(view['facts'])}):"]
    for fact in view["facts"]:
        condition = f" [if {fact['condition']}]" if fact["condition"] else ""
        lines.append(
            f"  {fact['key']} = {json.dumps(fact['value'])}"
            f" ({fact['modality']}, from {fact['valid_from'][:10]}){condition}"
        )
    return "\n".join(lines)


@cli.command()
@at_option
@known_at_option
@json_option
@pass_context
def state(ctx: Context, at: str | None, known_at: str | None, as_json: bool) -> None:
    """Every question's answer and every fact holding at a date."""
    with ctx.tracker() as tracker:
        now = tracker.clock()
        view = app.state(
            tracker, at=_when("--at", at, now), known_at=_when("--known-at", known_at, now)
        )
    emit(view, as_json, _render_state)


def _render_history(view: dict[str, Any]) -> str:
    lines = [f"history of {view['subject']} ({', '.join(view['keys'])})"]
    for change in view["changes"]:
        answer = ""
        if "answer_after" in change:
            words = {True: "yes", False: "no", None: "unknown"}
            answer = f"  -> answer {words[change['answer_after']]}"
        lines.append(
            f"  #{change['position']} recorded {change['recorded_at'][:19]} {change['kind']} "
            f"{change['key']} = {json.dumps(change['value'])} valid from "
            f"{change['valid_from'][:10]} ({change['producer']}){answer}"
        )
        if change.get("quote"):
            lines.append(f'      "{change["quote"]}"')
        elif change.get("sentence"):
            lines.append(f"      sentence: {change['sentence']}")
        lines += _source_line(change.get("source"), "      ")
    return "\n".join(lines)


@cli.command()
@click.argument("key_or_question", metavar="KEY-OR-QUESTION")
@at_option
@known_at_option
@json_option
@pass_context
def history(
    ctx: Context, key_or_question: str, at: str | None, known_at: str | None, as_json: bool
) -> None:
    """Every change to a fact key, or to the facts behind a question."""
    with ctx.tracker() as tracker:
        now = tracker.clock()
        view = app.history(
            tracker,
            key_or_question,
            at=_when("--at", at, now),
            known_at=_when("--known-at", known_at, now),
        )
    emit(view, as_json, _render_history)


@cli.command()
@click.option("--since", metavar="WHEN|POSITION", help="From this position or recorded time.")
@click.option("--until", metavar="WHEN|POSITION", help="Up to this position or recorded time.")
@at_option
@known_at_option
@json_option
@pass_context
def replay(
    ctx: Context,
    since: str | None,
    until: str | None,
    at: str | None,
    known_at: str | None,
    as_json: bool,
) -> None:
    """Replay the log in order, showing what each event changed."""
    with ctx.tracker() as tracker:
        now = tracker.clock()
        steps = app.replay(
            tracker,
            since=_bound("--since", since, now),
            until=_bound("--until", until, now),
            at=_when("--at", at, now),
            known_at=_when("--known-at", known_at, now),
        )
        if as_json:
            click.echo(json.dumps(list(steps), ensure_ascii=False, indent=2))
            return
        for step in steps:
            click.echo(
                f"#{step['position']} {step['recorded_at'][:19]} {step['type']}: {step['summary']}"
            )
            for change in step["changes"]:
                what = change.get("question") or change.get("fact")
                kind = "answer" if "question" in change else "fact"
                click.echo(
                    f"    {kind} {what}: {json.dumps(change['before'])} -> "
                    f"{json.dumps(change['after'])}"
                )


@cli.command()
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
    with ctx.tracker() as tracker:
        found = app.events(tracker, stream=stream, type_=type_, limit=limit, after=after)
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    for e in found:
        key = e["data"].get("key") or e["data"].get("statement_key") or e["data"].get("title")
        click.echo(
            f"#{e['position']} {e['stream']} v{e['version']} {e['type']} "
            f"(occurred {e['occurred_at'][:10]}): {key}"
        )


@cli.command()
@click.option("--by", "by", metavar="ACTOR", help="An actor id or alias, or a side (russia).")
@at_option
@known_at_option
@json_option
@pass_context
def statements(
    ctx: Context, by: str | None, at: str | None, known_at: str | None, as_json: bool
) -> None:
    """Attributed statements: who said what, when, about what."""
    with ctx.tracker() as tracker:
        now = tracker.clock()
        found = app.statements(
            tracker, by=by, at=_when("--at", at, now), known_at=_when("--known-at", known_at, now)
        )
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("no statements" + (f" by {by}" if by else ""))
    for item in found:
        words = (
            f'"{item["quote"]}"' if item["mode"] == "direct" and item["quote"] else item["content"]
        )
        side = f", {item['side']}" if item.get("side") else ""
        click.echo(
            f"{item['said_at'][:10]} {item['speaker_name']} ({item['speaker']}{side}) "
            f"{item['verb']}: {words}"
        )
        for line in _source_line(item.get("source"), "    "):
            click.echo(line)


@cli.command()
@click.option("--projection", "names", multiple=True, help="Only this projection (repeatable).")
@json_option
@pass_context
def rebuild(ctx: Context, names: tuple[str, ...], as_json: bool) -> None:
    """Drop the projections and replay the whole log into them."""
    with ctx.tracker() as tracker:
        counts = app.rebuild(tracker, list(names) or None)
    emit(
        counts,
        as_json,
        lambda c: "rebuilt: " + ", ".join(f"{k} ({v} events)" for k, v in c.items()),
    )


@cli.command()
@json_option
@pass_context
def projections(ctx: Context, as_json: bool) -> None:
    """Each projection's checkpoint and lag; catches them up first."""
    with ctx.tracker() as tracker:
        failure: str | None = None
        try:
            app.catch_up(tracker)
        except TrackerError as exc:
            failure = str(exc)
        found = app.projection_status(tracker)
    emit(
        found,
        as_json,
        lambda rows: "\n".join(
            f"{r['name']:<12} position {r['position']} (behind {r['behind']})"
            + (f" STOPPED: {r['error']}" if r["error"] else "")
            for r in rows
        ),
    )
    if failure:
        raise click.ClickException(failure)


@cli.command()
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
    with ctx.tracker() as tracker:
        when = _when("--published", published, tracker.clock())
        assert when is not None
        view = app.ingest_file(tracker, file, published=when, url=url, title=title)
    emit(
        view,
        as_json,
        lambda v: (
            f"{v['outcome']}: {v['stream']}, {v['appended']} events appended, "
            f"{v['statements']} statements" + "".join(f"\n  fact {f}" for f in v["facts"])
        ),
    )


# -- feeds and the service --------------------------------------------------------------


@cli.group()
def feeds() -> None:
    """The feeds tracker polls."""


def _render_feeds(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "no feeds; add one with `tracker feeds add URL`"
    lines = []
    for f in rows:
        health = (
            "GONE (410), not polled"
            if f["state"] == "gone"
            else (f"failing x{f['consecutive_failures']}" if f["consecutive_failures"] else "ok")
        )
        lines.append(f"{f['name']}  {f['url']}")
        if f["added_url"] != f["url"]:
            lines.append(f"    moved permanently from {f['added_url']}")
        lines.append(
            f"    every {f['every_seconds']}s ({f['origin']}), {health}, "
            f"last success {f['last_success_at'] or 'never'}, "
            f"next due {f['next_due_at'] or '-'}"
        )
        if f["last_error"]:
            lines.append(f"    last error ({f['last_error_at']}): {f['last_error']}")
    return "\n".join(lines)


@feeds.command("add")
@click.argument("url")
@click.option("--name", help="A short name (default: from the URL).")
@click.option("--every", metavar="INTERVAL", help="Poll interval: 15m, 2h, 1d (default 15m).")
@json_option
@pass_context
def feeds_add(ctx: Context, url: str, name: str | None, every: str | None, as_json: bool) -> None:
    """Follow a feed."""
    with ctx.tracker() as tracker:
        view = app.add_feed(tracker, url, name=name, every=every)
    emit(
        view, as_json, lambda f: f"following {f['name']} ({f['url']}), every {f['every_seconds']}s"
    )


@feeds.command("list")
@json_option
@pass_context
def feeds_list(ctx: Context, as_json: bool) -> None:
    """Feeds with their health: last success, last error, failures, next poll."""
    with ctx.tracker() as tracker:
        rows = app.list_feeds(tracker)
    emit(rows, as_json, _render_feeds)


@feeds.command("remove")
@click.argument("name_or_url", metavar="NAME-OR-URL")
@json_option
@pass_context
def feeds_remove(ctx: Context, name_or_url: str, as_json: bool) -> None:
    """Stop following a feed (its documents stay in the log)."""
    with ctx.tracker() as tracker:
        view = app.remove_feed(tracker, name_or_url)
    emit(view, as_json, lambda f: f"removed {f['name']} ({f['url']})")


def _render_polls(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "no feeds to poll"
    lines = []
    for r in rows:
        status = f" HTTP {r['status']}" if r["status"] else ""
        detail = f": {r['error']}" if r["error"] else ""
        lines.append(
            f"{r['feed']}: {r['outcome']}{status}, {r['entries']} entries, "
            f"{r['new']} new, {r['revised']} revised{detail}"
        )
        if r["moved_to"]:
            lines.append(f"    moved permanently to {r['moved_to']}; polled there from now on")
        if r["warning"]:
            lines.append(f"    warning: {r['warning']}")
    return "\n".join(lines)


@cli.command()
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
    with ctx.tracker() as tracker:
        rows = app.poll(tracker, feed_name=feed_name, due_only=due)
    emit(rows, as_json, _render_polls)
    failed = [r["feed"] for r in rows if r["outcome"] == "error"]
    if failed:
        raise click.ClickException(
            f"{len(failed)} of {len(rows)} feeds failed: {', '.join(map(repr, failed))}"
        )


@cli.group()
def alerts() -> None:
    """Alerts sent when an answer changes (channels in alerts.toml)."""


def _render_alerts(view: dict[str, Any]) -> str:
    if not view["channels"]:
        lines = ["no alert channels; declare them in alerts.toml in the config directory"]
    else:
        lines = ["channels:"]
    for c in view["channels"]:
        health = f"failing x{c['failing']}" if c["failing"] else "ok"
        lines.append(f"  {c['name']} ({c['kind']}) {c['target']}")
        lines.append(
            f"    {health}, {c['sent']} sent, {c['pending']} pending, "
            f"last sent {c['last_sent_at'] or 'never'}"
            + (f", next attempt {c['next_attempt_at']}" if c["pending"] else "")
        )
        if c["last_error"]:
            lines.append(f"    last error ({c['last_error_at']}): {c['last_error']}")
    if view["alerts"]:
        lines.append("latest alerts:")
    words = {True: "yes", False: "no", None: "unknown"}
    for a in view["alerts"]:
        lines.append(
            f"  #{a['position']} {a['question']}: {words[a['before']]} -> {words[a['after']]}"
        )
        for d in a["deliveries"]:
            lines.append(
                f"    {d['channel']}: {d['state']} after {d['attempts']} attempts"
                + (f" ({d['last_error']})" if d["state"] == "pending" and d["last_error"] else "")
            )
    return "\n".join(lines)


@alerts.command("list")
@json_option
@pass_context
def alerts_list(ctx: Context, as_json: bool) -> None:
    """Each channel's deliveries (sent, pending, failing, last error) and the latest alerts."""
    with ctx.tracker() as tracker:
        view = app.list_alerts(tracker)
    emit(view, as_json, _render_alerts)


@alerts.command("test")
@click.argument("channel")
@json_option
@pass_context
def alerts_test(ctx: Context, channel: str, as_json: bool) -> None:
    """Send a test message through one channel now."""
    with ctx.tracker() as tracker:
        view = app.send_test_alert(tracker, channel)
    emit(
        view,
        as_json,
        lambda v: (
            f"test message sent through {v['channel']} ({v['kind']})"
            if v["ok"]
            else f"test message through {v['channel']} failed: {v['error']}"
        ),
    )
    if not view["ok"]:
        raise click.ClickException(f"{channel}: {view['error']}")


@cli.command()
@pass_context
def run(ctx: Context) -> None:
    """Run the background service: poll feeds on schedule, keep projections current."""
    from tracker.service import Service, configure_logging

    configure_logging()
    with ctx.tracker() as tracker:
        Service(tracker).run()


@cli.command()
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


def _render_service_status(view: dict[str, Any]) -> str:
    lines = [f"database {view['database']}", f"service: {view['state']}"]
    if "since" in view:
        lines.append(
            f"  pid {view['pid']} on {view['host']}, started {view['since']}, "
            f"last heartbeat {view['heartbeat_at']}"
        )
        if view["stopped_at"]:
            lines.append(f"  stopped {view['stopped_at']} ({view['stop_reason']})")
    if view["recent_polls"]:
        lines.append("recent polls:")
    for p in view["recent_polls"]:
        detail = f": {p['error']}" if p["error"] else ""
        lines.append(
            f"  {p['started_at'][:19]} {p['feed']}: {p['outcome']}, {p['new']} new, "
            f"{p['revised']} revised{detail}"
        )
    return "\n".join(lines)


@cli.command()
@json_option
@pass_context
def status(ctx: Context, as_json: bool) -> None:
    """Is a service running on this database, since when, and its last polls."""
    with ctx.tracker() as tracker:
        view = app.service_status(tracker)
    emit(view, as_json, _render_service_status)


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
