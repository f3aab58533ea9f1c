"""What the log stores and hands back, independent of any database."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from tracker.errors import ConcurrencyError

# Fixed forever: event ids derived from it must survive replay and re-ingestion.
EVENT_NAMESPACE = uuid.UUID("6f1d2c3e-6a36-5f59-9a51-0c2b7f3e9d11")

JSON = dict[str, Any]


def event_id_for(*natural_key: str) -> uuid.UUID:
    """A deterministic event id from natural keys, so re-ingesting appends nothing."""
    return uuid.uuid5(EVENT_NAMESPACE, "\x1f".join(natural_key))


class ExpectedVersion(enum.Enum):
    """Stream preconditions other than an exact version number."""

    NO_STREAM = "no_stream"
    ANY = "any"


NO_STREAM = ExpectedVersion.NO_STREAM
ANY = ExpectedVersion.ANY


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event about to be appended; the store assigns position, version, recorded_at."""

    event_id: uuid.UUID
    type: str
    data: JSON
    occurred_at: datetime
    schema_version: int = 1

    def __post_init__(self) -> None:
        if self.occurred_at.tzinfo is None:
            raise ValueError(f"{self.type}: occurred_at must be timezone-aware")


# An event id as a database hands it back: PostgreSQL a UUID, SQLite its 16 bytes.
StoredId = uuid.UUID | bytes | str


class RecordedEvent(NamedTuple):
    """An event as stored: immutable, globally ordered by position.

    A named tuple rather than a dataclass, and the id kept in its stored form
    until asked for: the log decodes hundreds of thousands of these a second.
    """

    position: int
    stream: str
    version: int
    type: str
    schema_version: int
    data: JSON
    occurred_at: datetime
    recorded_at: datetime
    stored_id: StoredId

    @property
    def event_id(self) -> uuid.UUID:
        stored = self.stored_id
        if isinstance(stored, uuid.UUID):
            return stored
        return uuid.UUID(bytes=stored) if isinstance(stored, bytes) else uuid.UUID(stored)

    @property
    def event_id_text(self) -> str:
        return id_text(self.stored_id)


def id_text(stored: StoredId) -> str:
    """An event id in its canonical 8-4-4-4-12 text form, without building a UUID."""
    if isinstance(stored, uuid.UUID):
        return str(stored)
    if isinstance(stored, bytes):
        h = stored.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
    if len(stored) == 32:
        h = stored.lower()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
    return str(uuid.UUID(stored))


@dataclass(frozen=True, slots=True)
class AppendResult:
    """Positions of what a call appended, and of events that were already stored."""

    appended: tuple[int, ...]
    already_stored: tuple[int, ...]
    appended_ids: frozenset[uuid.UUID] = frozenset()


def check_expected(stream: str, expected: int | ExpectedVersion, current: int) -> None:
    """Refuse an append to a stream that is not at the version its writer expected."""
    if expected is ANY:
        return
    if expected is NO_STREAM:
        if current != 0:
            raise ConcurrencyError(stream, "no stream", current)
        return
    if current != expected:
        raise ConcurrencyError(stream, expected, current)


@dataclass(frozen=True, slots=True)
class StreamBatch:
    """Events for one stream, appended only if the stream is at the expected version."""

    stream: str
    events: tuple[NewEvent, ...]
    expected_version: int | ExpectedVersion = ANY


Upcaster = Callable[[JSON], JSON]


class Upcasters:
    """Lifts stored payloads to the current schema, one version at a time."""

    def __init__(self, steps: Mapping[tuple[str, int], Upcaster] | None = None) -> None:
        self._steps = dict(steps or {})
        self._current: dict[str, int] = {}
        for name, version in self._steps:
            self._current[name] = max(self._current.get(name, 1), version + 1)

    def needs_upcast(self, type_name: str, version: int) -> bool:
        return version < self._current.get(type_name, 1)

    def upcast(self, type_name: str, version: int, data: JSON) -> tuple[int, JSON]:
        while (step := self._steps.get((type_name, version))) is not None:
            data = step(data)
            version += 1
        return version, data
