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
        # Nor does a retraction: an assertion to retract is in an existing log or nowhere.
        create = _command_path() not in (*READ_COMMANDS, ("retract",))
        built = bootstrap(
            db_url=self.db, config_dir=self.config, check_schema=check_schema, create=create
        )
        try:
            yield built
        finally:
            built.close()


pass_context = click.make_pass_decorator(Context)

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


# -- the story ----------------------------------------------------------------------


@cli.group(invoke_without_command=True)
@at_option
@known_at_option
@json_option
@click.pass_context
def stories(click_ctx: click.Context, at: str | None, known_at: str | None, as_json: bool) -> None:
    """The stories followed (`stories list`, the default), and starting one (`stories add`)."""
    if click_ctx.invoked_subcommand is None:
        click_ctx.invoke(stories_list, at=at, known_at=known_at, as_json=as_json)


def _render_stories(rows: list[dict[str, Any]]) -> str:
    lines = []
    for story in rows:
        held = "" if story["in_database"] else " (not in this database yet)"
        lines.append(f"{story['id']}: {story['title']} ({len(story['questions'])} questions){held}")
        for q in story["questions"]:
            since = f" since {q['since'][:10]}" if q["since"] else ""
            lines.append(f"  {q['id']:<28} {q['answer_text'].upper()}{since}")
    return "\n".join(lines)


@stories.command("list")
@at_option
@known_at_option
@json_option
@pass_context
def stories_list(
    ctx: Context, at: str | None = None, known_at: str | None = None, as_json: bool = False
) -> None:
    """Each story with its questions' answers."""
    with ctx.tracker() as tracker:
        now = tracker.clock()
        found = app.stories(
            tracker, at=_when("--at", at, now), known_at=_when("--known-at", known_at, now)
        )
    emit(found, as_json, _render_stories)


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
    with ctx.tracker() as tracker:
        view = app.add_story(
            tracker,
            source,
            story_id=story_id,
            title=title,
            published=_when("--published", published, tracker.clock()),
        )
    emit(
        view,
        as_json,
        lambda v: (
            f"story {v['story']} started from {v['source']}: {v['facts']} facts, "
            f"{v['statements']} statements; questions go in {v['config']} "
            f"(tracker questions add --story {v['story']} ...)"
        ),
    )


@cli.group()
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
    with ctx.tracker() as tracker:
        view = app.add_question(tracker, story, new)
    emit(
        view,
        as_json,
        lambda v: (
            f"question {v['question']} added to story {v['story']} in {v['config']}"
            + (f" (with an {v['rule']} rule)" if v["rule"] else "")
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
@story_option
@at_option
@known_at_option
@json_option
@pass_context
def ask(
    ctx: Context,
    question: str,
    story: str | None,
    at: str | None,
    known_at: str | None,
    as_json: bool,
) -> None:
    """Answer one question (see `tracker state` for their ids)."""
    with ctx.tracker() as tracker:
        now = tracker.clock()
        view = app.ask(
            tracker,
            question,
            story=story,
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
@story_option
@at_option
@known_at_option
@json_option
@pass_context
def state(
    ctx: Context, story: str | None, at: str | None, known_at: str | None, as_json: bool
) -> None:
    """Every question's answer and every fact holding at a date."""
    with ctx.tracker() as tracker:
        now = tracker.clock()
        view = app.state(
            tracker,
            story=story,
            at=_when("--at", at, now),
            known_at=_when("--known-at", known_at, now),
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
        if change.get("reason"):
            by = f" by {change['by']}" if change.get("by") else ""
            lines.append(f"      {change['kind']}{by}: {change['reason']}")
        if change["kind"] == "retracted":
            continue  # the assertion's words are on its own line above
        if change.get("quote"):
            lines.append(f'      "{change["quote"]}"')
        elif change.get("sentence"):
            lines.append(f"      sentence: {change['sentence']}")
        lines += _source_line(change.get("source"), "      ")
    return "\n".join(lines)


@cli.command()
@click.argument("key_or_question", metavar="KEY-OR-QUESTION")
@story_option
@at_option
@known_at_option
@json_option
@pass_context
def history(
    ctx: Context,
    key_or_question: str,
    story: str | None,
    at: str | None,
    known_at: str | None,
    as_json: bool,
) -> None:
    """Every change to a fact key, or to the facts behind a question."""
    with ctx.tracker() as tracker:
        now = tracker.clock()
        view = app.history(
            tracker,
            key_or_question,
            story=story,
            at=_when("--at", at, now),
            known_at=_when("--known-at", known_at, now),
        )
    emit(view, as_json, _render_history)


@cli.command()
@click.option("--since", metavar="WHEN|POSITION", help="From this position or recorded time.")
@click.option("--until", metavar="WHEN|POSITION", help="Up to this position or recorded time.")
@story_option
@at_option
@known_at_option
@json_option
@pass_context
def replay(
    ctx: Context,
    since: str | None,
    until: str | None,
    story: str | None,
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
            story=story,
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
@story_option
@at_option
@known_at_option
@json_option
@pass_context
def statements(
    ctx: Context,
    by: str | None,
    story: str | None,
    at: str | None,
    known_at: str | None,
    as_json: bool,
) -> None:
    """Attributed statements: who said what, when, about what."""
    with ctx.tracker() as tracker:
        now = tracker.clock()
        found = app.statements(
            tracker,
            by=by,
            story=story,
            at=_when("--at", at, now),
            known_at=_when("--known-at", known_at, now),
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


# -- corrections ------------------------------------------------------------------------

reason_option = click.option(
    "--reason", required=True, metavar="TEXT", help="Why: kept with the correction for good."
)
by_option = click.option(
    "--by", "by", metavar="NAME", help="Who corrects (default: your login name)."
)


def _render_correction(view: dict[str, Any]) -> str:
    if view["correction"] == "retracted":
        lines = [
            f"retracted {view['assertion_id']}: {view['key']} = {json.dumps(view['value'])} "
            f"(valid from {view['valid_from'][:10]})"
        ]
    else:
        lines = [
            f"asserted {view['key']} = {json.dumps(view['value'])} "
            f"valid from {view['valid_from'][:19]}: {view['event_id']}"
        ]
    lines.append(
        f"  #{view['position']} in {view['stream']}, recorded {view['recorded_at'][:19]}, "
        f"by {view['by']}: {view['reason']}"
    )
    for change in view["answers"]:
        moved = (
            f"{change['before_text']} -> {change['after_text']}"
            if change["before"] is not change["after"]
            else f"still {change['after_text']}"
        )
        lines.append(f"  answer {change['question']}: {moved}")
    if not view["answers"]:
        lines.append("  no question asks about this key")
    return "\n".join(lines)


@cli.command("assert")
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
    with ctx.tracker() as tracker:
        view = app.assert_fact(
            tracker,
            key,
            value,
            at=at,
            source=source,
            reason=reason,
            by=app.editor_login() if by is None else by,
        )
    emit(view, as_json, _render_correction)


@cli.command()
@click.argument("assertion_id", metavar="ASSERTION-ID")
@reason_option
@by_option
@json_option
@pass_context
def retract(ctx: Context, assertion_id: str, reason: str, by: str | None, as_json: bool) -> None:
    """Retract an assertion (its id is in `ask --json` and `history --json`)."""
    with ctx.tracker() as tracker:
        view = app.retract(
            tracker, assertion_id, reason=reason, by=app.editor_login() if by is None else by
        )
    emit(view, as_json, _render_correction)


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
        if f["tags"] or f["full_text"]:
            options = [f"tags: {', '.join(f['tags'])}"] if f["tags"] else []
            options += ["reads linked articles (full text)"] if f["full_text"] else []
            lines.append("    " + "; ".join(options))
    return "\n".join(lines)


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
    with ctx.tracker() as tracker:
        view = app.add_feed(tracker, url, name=name, every=every, tags=tags, full_text=full_text)
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


def _render_import(view: dict[str, Any]) -> str:
    lines = [
        f"{view['file']}: {len(view['added'])} added, "
        f"{len(view['already_present'])} already present, {len(view['refused'])} refused"
    ]
    for f in view["added"]:
        tags = f" [{', '.join(f['tags'])}]" if f["tags"] else ""
        lines.append(f"  added {f['name']} ({f['url']}){tags}")
    for f in view["already_present"]:
        lines.append(f"  already present: {f['url']} (feed {f['feed']})")
    for f in view["refused"]:
        lines.append(f"  refused {f['name'] or '(unnamed)'} ({f['url']}): {f['reason']}")
    return "\n".join(lines)


@feeds.command("import")
@click.argument("file", type=click.Path(path_type=Path, allow_dash=True))
@json_option
@pass_context
def feeds_import(ctx: Context, file: Path, as_json: bool) -> None:
    """Follow the feeds an OPML file lists (folders and categories become tags).

    Feeds already followed are skipped; exit 1 when an outline was refused.
    """
    with ctx.tracker() as tracker:
        view = app.import_opml(tracker, file)
    emit(view, as_json, _render_import)
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
        if r.get("articles"):
            read = r["articles"]
            lines.append(f"    articles: {read['read']} read, {read['not_read']} not read")
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
    if view["processes"]:
        lines.append("processes:")
    for p in view["processes"]:
        lead = f", leader since {p['leader_since'][:19]}" if p["leader"] else ""
        lines.append(
            f"  {p['state']}: pid {p['pid']} on {p['host']} (run {p['run']}), started "
            f"{p['since'][:19]}, last heartbeat {p['heartbeat_at'][:19]}, "
            f"{p['feeds_claimed']} feeds claimed{lead}"
        )
    if "since" in view and view["stopped_at"]:
        lines.append(
            f"last run: pid {view['pid']} on {view['host']}, started {view['since'][:19]}, "
            f"stopped {view['stopped_at'][:19]} ({view['stop_reason']})"
        )
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
    """Every service process on this database, which one leads, and the last polls."""
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
