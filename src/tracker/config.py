"""Settings as one frozen object.

Precedence, lowest first: the defaults below < ``tracker.toml`` in the config
directory < ``TRACKER_<SECTION>_<KEY>`` environment variables < options given
on the command line. The config directory is ``--config``, else
``TRACKER_CONFIG``, else ``./config`` when it exists, else the copy shipped in
the package.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.domain.story import Actor, Question
from tracker.errors import ConfigError

SETTINGS_FILE = "tracker.toml"
STORY_FILE = "story.toml"  # a single story's file, as older config directories hold it
STORIES_DIR = "stories"  # one file per story: stories/ID.toml
ACTORS_FILE = "actors.toml"


@dataclass(frozen=True)
class DatabaseSettings:
    url: str | None = None
    # FULL makes every committed append durable on power loss, not only on a crash.
    sqlite_synchronous: str = "FULL"
    busy_timeout_ms: int = 10_000


@dataclass(frozen=True)
class FetchSettings:
    allow_private_networks: bool = False
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    max_bytes: int = 16 * 1024 * 1024
    max_redirects: int = 5
    # A whole fetch, however slowly the server trickles bytes, ends by then.
    total_timeout: float = 60.0
    user_agent: str = "tracker/0.1 (+https://example.invalid/tracker; news update tracker)"


@dataclass(frozen=True)
class ExtractSettings:
    # Off: documents are stored without statements or answers (no language model loaded).
    enabled: bool = True


@dataclass(frozen=True)
class IngestSettings:
    # A document's title, summary and content together are stored cut to this many
    # characters (256 KiB of text), and extraction never sees more.
    max_document_chars: int = 256 * 1024
    # `tracker ingest` reads at most this many bytes of a file or of standard input.
    max_file_bytes: int = 4 * 1024 * 1024


@dataclass(frozen=True)
class ArticleSettings:
    """Reading the article a feed entry links to, for feeds added with ``--full-text``."""

    # Between the end of one request to a host and the start of the next, one at a time.
    host_delay_seconds: float = 1.0
    # A page is HTML around the article: cut well below a feed's cap (and never above it).
    max_bytes: int = 4 * 1024 * 1024
    # One poll of one feed reads at most this many articles, within this many seconds;
    # the entries past either are stored with the feed's summary.
    per_poll: int = 30
    budget_seconds: float = 120.0


@dataclass(frozen=True)
class ServiceSettings:
    catch_up_seconds: int = 30
    reconcile_seconds: int = 60
    default_every_seconds: int = 900
    max_backoff_seconds: int = 6 * 3600
    jitter_seconds: int = 30
    # Polls at once: feeds hung up to the fetch deadline take a worker each.
    workers: int = 8
    # Requests at once to one host, counted across every service process on the database.
    per_host: int = 2
    # A claimed feed is the claimant's for fetch.total_timeout plus this (renewed while the
    # poll runs); a process killed mid-poll leaves its feeds to the others when it runs out.
    lease_margin_seconds: int = 30
    # Pending alerts are sent this often; a failed delivery waits alert_retry_seconds,
    # doubling per failure up to alert_max_backoff_seconds.
    alerts_seconds: int = 5
    alert_retry_seconds: int = 30
    alert_max_backoff_seconds: int = 3600


@dataclass(frozen=True)
class Settings:
    config_dir: Path
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    service: ServiceSettings = field(default_factory=ServiceSettings)
    extract: ExtractSettings = field(default_factory=ExtractSettings)
    ingest: IngestSettings = field(default_factory=IngestSettings)
    articles: ArticleSettings = field(default_factory=ArticleSettings)


_SECTIONS: dict[str, type[Any]] = {
    "database": DatabaseSettings,
    "fetch": FetchSettings,
    "service": ServiceSettings,
    "extract": ExtractSettings,
    "ingest": IngestSettings,
    "articles": ArticleSettings,
}


def shipped_config_dir() -> Path:
    """The configuration shipped with tracker (wheel copy, else the source tree's)."""
    here = Path(__file__).resolve().parent
    packaged = here / "_config"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "config"


def resolve_config_dir(explicit: str | Path | None, environ: Mapping[str, str]) -> Path:
    if explicit is not None:
        chosen = Path(explicit)
    elif environ.get("TRACKER_CONFIG"):
        chosen = Path(environ["TRACKER_CONFIG"])
    elif Path("config").is_dir():
        chosen = Path("config")
    else:
        return shipped_config_dir()
    if not chosen.is_dir():
        raise ConfigError(f"{chosen}: config directory does not exist")
    return chosen


def load_settings(
    *,
    config_dir: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Mapping[str, object]] | None = None,
) -> Settings:
    """Merge defaults, the TOML file, the environment and explicit overrides."""
    env = os.environ if environ is None else environ
    directory = resolve_config_dir(config_dir, env)
    values: dict[str, dict[str, object]] = {name: {} for name in _SECTIONS}

    path = directory / SETTINGS_FILE
    if path.is_file():
        _merge_file(values, path)
    _merge_environment(values, env)
    for section, keys in (overrides or {}).items():
        for key, raw in keys.items():
            if raw is not None:
                where = f"--{key}"
                values[section][key] = _checked(
                    section, key, _coerce(_field_type(section, key), raw, where), where
                )

    built = {name: cls(**values[name]) for name, cls in _SECTIONS.items()}
    return Settings(config_dir=directory, **built)


def read_toml(path: Path) -> dict[str, Any]:
    """Read one TOML file, turning any failure into a one-line ConfigError."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: over {MAX_CONFIG_BYTES} bytes; not a configuration file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 (byte {exc.start})") from None
    # tomllib recurses once per level of nesting: refuse absurd depth before it does.
    if _depth(text) > MAX_CONFIG_DEPTH:
        raise ConfigError(f"{path}: nested more than {MAX_CONFIG_DEPTH} levels deep")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply") from None


MAX_CONFIG_BYTES = 4 * 1024 * 1024
MAX_CONFIG_DEPTH = 32


def _depth(text: str) -> int:
    """An upper bound on the nesting of arrays and inline tables (brackets in strings
    count too, which only errs on the side of refusing)."""
    depth = deepest = 0
    for ch in text:
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth = max(0, depth - 1)
    return deepest


def _table_list(path: Path, document: dict[str, Any], key: str) -> list[Any]:
    items = document.get(key, [])
    if not isinstance(items, list):
        raise ConfigError(f"{path}: {key}: expected an array of tables, got {items!r}"[:300])
    return items


def _merge_file(values: dict[str, dict[str, object]], path: Path) -> None:
    document = read_toml(path)
    for section, table in document.items():
        if section not in _SECTIONS:
            raise ConfigError(f"{path}: unknown section [{section}]")
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: {section}: expected a table")
        for key, raw in table.items():
            where = f"{path}: {section}.{key}"
            coerced = _coerce(_field_type(section, key, where), raw, where)
            values[section][key] = _checked(section, key, coerced, where)


def _merge_environment(values: dict[str, dict[str, object]], environ: Mapping[str, str]) -> None:
    for section, cls in _SECTIONS.items():
        for item in dataclasses.fields(cls):
            name = f"TRACKER_{section}_{item.name}".upper()
            if name in environ:
                coerced = _coerce(_field_type(section, item.name), environ[name], name)
                values[section][item.name] = _checked(section, item.name, coerced, name)


def _field_type(section: str, key: str, where: str | None = None) -> object:
    hints = typing.get_type_hints(_SECTIONS[section])
    if key not in hints:
        raise ConfigError(f"{where or section}: unknown key {section}.{key}")
    return hints[key]


# Every number a setting may hold: finite, and in a range where tracker still works.
_RANGES: dict[tuple[str, str], tuple[float, float]] = {
    ("database", "busy_timeout_ms"): (0, 600_000),
    ("fetch", "connect_timeout"): (0.1, 300),
    ("fetch", "read_timeout"): (0.1, 600),
    ("fetch", "total_timeout"): (1, 3600),
    ("fetch", "max_bytes"): (1024, 1024**3),
    ("fetch", "max_redirects"): (0, 20),
    ("service", "catch_up_seconds"): (1, 86_400),
    ("service", "reconcile_seconds"): (1, 86_400),
    ("service", "default_every_seconds"): (60, 31 * 86_400),
    ("service", "max_backoff_seconds"): (60, 31 * 86_400),
    ("service", "jitter_seconds"): (0, 3600),
    ("service", "workers"): (1, 64),
    ("service", "per_host"): (1, 1000),
    ("service", "lease_margin_seconds"): (1, 3600),
    ("service", "alerts_seconds"): (1, 3600),
    ("service", "alert_retry_seconds"): (1, 86_400),
    ("service", "alert_max_backoff_seconds"): (1, 7 * 86_400),
    ("ingest", "max_document_chars"): (1000, 4_000_000),
    ("ingest", "max_file_bytes"): (1024, 1024**3),
    ("articles", "host_delay_seconds"): (0, 600),
    ("articles", "max_bytes"): (1024, 1024**3),
    ("articles", "per_poll"): (0, 10_000),
    ("articles", "budget_seconds"): (1, 3600),
}


def _checked(section: str, key: str, value: object, where: str) -> object:
    """``value`` if it is in range for its setting, else a ConfigError naming ``where``."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"{where}: expected a finite number, got {value!r}")
    bounds = _RANGES.get((section, key))
    if bounds and isinstance(value, int | float) and not bounds[0] <= value <= bounds[1]:
        low, high = (f"{b:g}" for b in bounds)
        raise ConfigError(f"{where}: {value!r} is out of range ({low} to {high})")
    text = value if key == "user_agent" and isinstance(value, str) else None
    if text is not None and not (text and text.isascii() and text.isprintable()):
        raise ConfigError(f"{where}: expected printable ASCII text, got {value!r}")
    return value


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _coerce(kind: object, raw: object, where: str) -> object:
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        kind = next(arg for arg in typing.get_args(kind) if arg is not type(None))
    if kind is bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
            return raw.strip().lower() in _TRUE
        raise ConfigError(f"{where}: expected true or false, got {raw!r}")
    if kind is int:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        if isinstance(raw, str):
            try:
                return int(raw.strip())
            except ValueError:
                pass
        raise ConfigError(f"{where}: expected an integer, got {raw!r}")
    if kind is float:
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return float(raw)
        if isinstance(raw, str):
            try:
                return float(raw.strip())
            except ValueError:
                pass
        raise ConfigError(f"{where}: expected a number, got {raw!r}")
    if isinstance(raw, str):
        return raw
    raise ConfigError(f"{where}: expected a string, got {raw!r}")


@dataclass(frozen=True)
class Story:
    """A tracked story: its questions and the actors who speak in it.

    The catalogue of every story is a ``Story`` too (``load_story``): every question of
    every story, which the extractor and the projections work from."""

    id: str
    title: str
    questions: tuple[Question, ...]
    actors: tuple[Actor, ...]
    path: Path | None = None  # the file it was read from
    seed: str | None = None  # the curated seed article it starts from, if any

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def resolve_actor(self, name: str) -> Actor | None:
        """The actor an id or any alias names (case-insensitive)."""
        wanted = name.strip().casefold()
        for actor in self.actors:
            if wanted == actor.id or wanted in (a.casefold() for a in (actor.name, *actor.aliases)):
                return actor
        return None

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(key for q in self.questions for key in q.facts)


STORY_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


def story_files(config_dir: Path) -> tuple[Path, ...]:
    """The story files in force: the shipped ones, each replaced by the config directory's
    file of the same name, plus the config directory's own; an older ``story.toml`` in the
    config directory counts as one more."""
    chosen: dict[str, Path] = {}
    for directory in dict.fromkeys((shipped_config_dir(), config_dir)):
        folder = directory / STORIES_DIR
        if folder.is_dir():
            for path in sorted(folder.glob("*.toml")):
                chosen[path.name] = path
    legacy = config_dir / STORY_FILE
    if legacy.is_file() and config_dir != shipped_config_dir():
        chosen[STORY_FILE] = legacy
    return tuple(chosen.values())


def load_stories(config_dir: Path) -> tuple[Story, ...]:
    """Every story in force (see ``story_files``), each with the shared actors.

    Story ids are unique (a later file with an id already read replaces it, so a config
    directory's ``story.toml`` overrides the shipped story it names), and a question id
    belongs to one story only, so that an answer is never ambiguous."""
    actors_path = _config_file(config_dir, ACTORS_FILE)
    actors = tuple(
        _actor(actors_path, i, raw)
        for i, raw in enumerate(_table_list(actors_path, read_toml(actors_path), "actors"))
    )
    stories: dict[str, Story] = {}
    for path in story_files(config_dir):
        story = read_story_file(path, actors)
        stories[story.id] = story
    owner: dict[str, str] = {}
    for story in stories.values():
        for question in story.questions:
            if question.id in owner:
                raise ConfigError(
                    f"{story.path}: question {question.id!r} is already story "
                    f"{owner[question.id]!r}'s; question ids must be unique across stories"
                )
            owner[question.id] = story.id
    if not stories:
        raise ConfigError(f"{config_dir}: no story is configured (stories/ID.toml)")
    return tuple(stories.values())


def read_story_file(path: Path, actors: tuple[Actor, ...] = ()) -> Story:
    """One story file: ``[story]`` id and title, ``[[questions]]`` (and ``[[rules]]``,
    read with the extraction configuration)."""
    document = read_toml(path)
    header = document.get("story", {})
    if not isinstance(header, dict):
        raise ConfigError(f"{path}: story: expected a table")
    story_id = _text(path, "story.id", header.get("id"))
    if not STORY_ID.fullmatch(story_id):
        raise ConfigError(
            f"{path}: story.id: expected lowercase letters, digits and hyphens (at most 63), "
            f"got {story_id!r}"[:300]
        )
    questions = tuple(
        _question(path, i, raw) for i, raw in enumerate(_table_list(path, document, "questions"))
    )
    ids = [q.id for q in questions]
    if len(ids) != len(set(ids)):
        raise ConfigError(f"{path}: questions: ids must be unique")
    seed = header.get("seed")
    return Story(
        id=story_id,
        title=_text(path, "story.title", header.get("title", story_id)),
        questions=questions,
        actors=actors,
        path=path,
        seed=None if seed is None else _text(path, "story.seed", seed),
    )


def load_story(config_dir: Path) -> Story:
    """The catalogue: every question of every story in force, with the actors. With one
    story in force, that story."""
    return catalogue(load_stories(config_dir))


def catalogue(stories: tuple[Story, ...]) -> Story:
    """Every question of these stories as one story (the one story, when there is one)."""
    if len(stories) == 1:
        return stories[0]
    return Story(
        id="*",
        title="every story",
        questions=tuple(q for story in stories for q in story.questions),
        actors=stories[0].actors,
    )


def _config_file(config_dir: Path, name: str) -> Path:
    path = config_dir / name
    return path if path.is_file() else shipped_config_dir() / name


def _text(path: Path, where: str, raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ConfigError(f"{path}: {where}: expected a non-empty string, got {raw!r}")
    return raw


def _strings(path: Path, where: str, raw: object) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise ConfigError(f"{path}: {where}: expected a list of strings, got {raw!r}")
    return tuple(raw)


def _question(path: Path, index: int, raw: object) -> Question:
    where = f"questions[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: {where}: expected a table")
    combine = raw.get("combine", "any")
    if combine not in ("any", "all"):
        raise ConfigError(f"{path}: {where}.combine: expected 'any' or 'all', got {combine!r}")
    facts = _strings(path, f"{where}.facts", raw.get("facts"))
    if not facts:
        raise ConfigError(f"{path}: {where}.facts: name at least one fact key")
    return Question(
        id=_text(path, f"{where}.id", raw.get("id")),
        text=_text(path, f"{where}.text", raw.get("text")),
        facts=facts,
        combine=combine,
    )


def _actor(path: Path, index: int, raw: object) -> Actor:
    where = f"actors[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: {where}: expected a table")
    group = raw.get("group")
    return Actor(
        id=_text(path, f"{where}.id", raw.get("id")),
        name=_text(path, f"{where}.name", raw.get("name")),
        aliases=_strings(path, f"{where}.aliases", raw.get("aliases", [])),
        group=None if group is None else _text(path, f"{where}.group", group),
    )


FEEDS_FILE = "feeds.toml"


@dataclass(frozen=True)
class FeedDeclaration:
    url: str
    name: str | None
    every: str | None
    tags: tuple[str, ...] = ()
    full_text: bool = False


def load_feed_declarations(config_dir: Path) -> tuple[FeedDeclaration, ...]:
    """Feeds declared in feeds.toml (``[[feeds]]`` with url; optional name, every, tags
    and full_text)."""
    path = config_dir / FEEDS_FILE
    if not path.is_file():
        return ()
    out = []
    for index, raw in enumerate(_table_list(path, read_toml(path), "feeds")):
        where = f"feeds[{index}]"
        if not isinstance(raw, dict):
            raise ConfigError(f"{path}: {where}: expected a table")
        name, every = raw.get("name"), raw.get("every")
        full_text = raw.get("full_text", False)
        if not isinstance(full_text, bool):
            raise ConfigError(
                f"{path}: {where}.full_text: expected true or false, got {full_text!r}"
            )
        out.append(
            FeedDeclaration(
                url=_text(path, f"{where}.url", raw.get("url")),
                name=None if name is None else _text(path, f"{where}.name", name),
                every=None if every is None else _text(path, f"{where}.every", str(every)),
                tags=_strings(path, f"{where}.tags", raw.get("tags", [])),
                full_text=full_text,
            )
        )
    return tuple(out)
