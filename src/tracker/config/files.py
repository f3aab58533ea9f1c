"""Configuration files: reading one safely, and checking the values it holds."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from tracker.errors import ConfigError

MAX_CONFIG_BYTES = 4 * 1024 * 1024
MAX_CONFIG_DEPTH = 32


def shipped_config_dir() -> Path:
    """The configuration shipped with tracker (wheel copy, else the source tree's)."""
    here = Path(__file__).resolve().parents[1]
    packaged = here / "_config"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "config"


def config_file(config_dir: Path, name: str) -> Path:
    """``name`` in the config directory, else the shipped copy."""
    path = config_dir / name
    return path if path.is_file() else shipped_config_dir() / name


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


def table_list(path: Path, document: dict[str, Any], key: str) -> list[Any]:
    items = document.get(key, [])
    if not isinstance(items, list):
        raise ConfigError(f"{path}: {key}: expected an array of tables, got {items!r}"[:300])
    return items


def nonempty_text(path: Path, where: str, raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ConfigError(f"{path}: {where}: expected a non-empty string, got {raw!r}")
    return raw


def string_list(path: Path, where: str, raw: object) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise ConfigError(f"{path}: {where}: expected a list of strings, got {raw!r}")
    return tuple(raw)
