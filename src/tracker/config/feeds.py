"""feeds.toml: the feeds the configuration declares."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tracker.config.files import nonempty_text, read_toml, string_list, table_list
from tracker.errors import ConfigError

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
    for index, raw in enumerate(table_list(path, read_toml(path), "feeds")):
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
                url=nonempty_text(path, f"{where}.url", raw.get("url")),
                name=None if name is None else nonempty_text(path, f"{where}.name", name),
                every=None if every is None else nonempty_text(path, f"{where}.every", str(every)),
                tags=string_list(path, f"{where}.tags", raw.get("tags", [])),
                full_text=full_text,
            )
        )
    return tuple(out)
