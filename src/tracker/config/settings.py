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
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.config.files import read_toml, shipped_config_dir
from tracker.errors import ConfigError

SETTINGS_FILE = "tracker.toml"


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
