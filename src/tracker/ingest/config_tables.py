"""Typed access to one table of an extraction config file, every failure one line naming
the file and the key."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tracker.errors import ConfigError
from tracker.ingest.rules import MODALITIES, Modality, Terms


class ConfigTable:
    """Typed access to one TOML table, every failure one line naming file and key."""

    def __init__(self, path: Path, table: Mapping[str, Any], where: str) -> None:
        self.path, self.table, self.where = path, table, where

    def _fail(self, key: str, expected: str) -> ConfigError:
        return ConfigError(f"{self.path}: {self.where}{key}: expected {expected}")

    def strings(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        if key not in self.table:
            if required:
                raise ConfigError(f"{self.path}: {self.where}{key}: missing")
            return ()
        value = self.table[key]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self._fail(key, "a list of non-empty strings")
        return tuple(value)

    def lemmas(self, key: str) -> frozenset[str]:
        return frozenset(v.lower() for v in self.strings(key))

    def text(self, key: str, default: str | None = None) -> str | None:
        value = self.table.get(key, default)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise self._fail(key, "a non-empty string")
        return value

    def integer(self, key: str, default: int, low: int, high: int) -> int:
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self._fail(key, f"an integer from {low} to {high}")
        return value

    def strings_of(self, key: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self._fail(key, "a list of non-empty strings")
        return tuple(value)

    def share(self, key: str) -> float:
        value = self.table.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise self._fail(key, "a number from 0 to 1")
        return float(value)

    def table_of(self, key: str) -> Mapping[str, Any]:
        value = self.table.get(key, {})
        if not isinstance(value, dict):
            raise self._fail(key, "a table")
        return value

    def words_for(self, key: str) -> dict[str, str]:
        """A table of words to words, both folded to lower case."""
        table = self.table_of(key)
        if not all(isinstance(v, str) and v.strip() for v in table.values()):
            raise self._fail(key, "a table of non-empty strings")
        return {k.lower(): v.lower() for k, v in table.items()}

    def groups(self, key: str) -> tuple[Terms, ...]:
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(
            isinstance(g, list) and g and all(isinstance(v, str) and v for v in g) for g in value
        ):
            raise self._fail(key, "a list of lists of strings")
        return tuple(Terms.of(tuple(g)) for g in value)

    def modalities(self, key: str, default: tuple[Modality, ...]) -> frozenset[Modality]:
        chosen = self.strings(key) or default
        unknown = sorted(set(chosen) - set(MODALITIES))
        if unknown:
            raise self._fail(key, f"modalities among {', '.join(MODALITIES)}; got {unknown}")
        return frozenset(m for m in MODALITIES if m in chosen)
