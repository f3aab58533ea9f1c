"""The story's event vocabulary: frozen, past-tense, versioned.

Each type is stored under a stable name (``TYPE``) with a ``SCHEMA`` version;
payloads written at older schemas are lifted by ``tracker.domain.upcasting``
before they reach ``decode``.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal, TypeVar

from tracker.domain.log import JSON, NewEvent, RecordedEvent, event_id_for

Value = bool | int | float | str | None
# Where a document's text came from: the seed article, a feed entry, a file or a page
# given on the command line.
DocumentSource = Literal["seed", "feed", "file", "url"]
# Which text a feed entry's document holds: the feed's own or the linked article's.
TextSource = Literal["feed", "article"]
# Who made a claim: an editor or the curated seed by hand, or an extraction rule.
ProducerKind = Literal["curated", "rule"]
Polarity = Literal["positive", "negative"]
# How exactly a document's publication time is known: to the instant, to the day, or only
# as when the tracker first saw it.
PublishedPrecision = Literal["instant", "day", "first-seen"]
# How exactly a claim's valid time is known; "publication" stands in for an unstated date.
ValidPrecision = Literal["instant", "day", "publication"]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a claim comes from: the document, and the words that carry it."""

    document: str
    quote: str | None = None
    sentence: str | None = None
    # the source a person can follow: its headline, link, feed and publication time
    title: str | None = None
    url: str | None = None
    feed: str | None = None
    published_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Producer:
    """Who made a claim: a person curating by hand, or an extraction rule."""

    kind: ProducerKind = "curated"
    rule: str | None = None
    config_version: str | None = None
    model: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentIngested:
    TYPE: ClassVar[str] = "DocumentIngested"
    SCHEMA: ClassVar[int] = 1

    doc_id: str
    identity: str
    source: DocumentSource
    title: str
    content: str
    content_hash: str
    published_at: datetime
    published_precision: PublishedPrecision = "instant"
    url: str | None = None
    feed: str | None = None
    summary: str | None = None
    author: str | None = None
    # Characters cut from the title, summary and content to keep the document within
    # the configured size; 0 when stored whole. Older payloads lack it: stored whole.
    truncated_chars: int = 0
    # Which text ``content`` is: the feed's own ("feed") or the main text of the article
    # the entry links to ("article", for feeds followed with full text). When an article
    # was asked for, ``article_url`` is the page and ``article_error`` why it was not read
    # (the feed's text kept instead). Older payloads lack them: the feed's text.
    text_source: TextSource = "feed"
    article_url: str | None = None
    article_error: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentRevised:
    TYPE: ClassVar[str] = "DocumentRevised"
    SCHEMA: ClassVar[int] = 1

    doc_id: str
    content_hash: str
    previous_hash: str
    # field name -> new value, for every field whose normalised value changed
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FactAsserted:
    TYPE: ClassVar[str] = "FactAsserted"
    SCHEMA: ClassVar[int] = 2

    key: str
    subject: str
    predicate: str
    object: str | None
    value: Value
    valid_from: datetime
    valid_precision: ValidPrecision
    evidence: Evidence
    producer: Producer
    polarity: Polarity = "positive"
    modality: str = (
        "asserted"  # asserted | conditional | reported | alleged | implied | unspecified
    )
    condition: str | None = None
    text: str | None = None  # the claim in one plain sentence
    # An editor's correction says who made it and why; extraction and the seed leave
    # both unset, and payloads stored before they existed decode with them unset.
    by: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class FactRetracted:
    TYPE: ClassVar[str] = "FactRetracted"
    SCHEMA: ClassVar[int] = 1

    key: str
    assertion_id: str  # event id of the FactAsserted withdrawn
    reason: str
    by: str | None = None  # the editor; unset in payloads stored before it existed


@dataclass(frozen=True, slots=True)
class StatementReported:
    TYPE: ClassVar[str] = "StatementReported"
    SCHEMA: ClassVar[int] = 1

    statement_key: str
    speaker: str  # actor id from config
    speaker_name: str  # as the text names them
    verb: str
    mode: str  # direct | reported
    content: str
    said_at: datetime
    said_precision: str
    evidence: Evidence
    producer: Producer
    quote: str | None = None
    about: tuple[str, ...] = ()
    side: str | None = None  # e.g. "russia", from the actor's group or the words around a name
    listed: bool = True  # False: a speaker the text names who is not in actors.toml


@dataclass(frozen=True, slots=True)
class StoryStarted:
    """A story begun from an article (``tracker stories add``): its id, title and the
    document it starts from. Its questions and rules are configuration, not events."""

    TYPE: ClassVar[str] = "StoryStarted"
    SCHEMA: ClassVar[int] = 1

    story_id: str
    title: str
    doc_id: str
    source: str  # the file or URL it was read from


StoryEvent = (
    DocumentIngested
    | DocumentRevised
    | FactAsserted
    | FactRetracted
    | StatementReported
    | StoryStarted
)
EVENT_TYPES: dict[str, type[Any]] = {
    cls.TYPE: cls
    for cls in (
        DocumentIngested,
        DocumentRevised,
        FactAsserted,
        FactRetracted,
        StatementReported,
        StoryStarted,
    )
}


# -- codec ---------------------------------------------------------------------


def key_of(cls: type[Any], name: str) -> str:
    """The payload key of one field of an event dataclass, checked against its fields.

    Readers that take payloads as stored (projections, SQL JSON paths) name keys
    through this, once at import time: a renamed or removed field fails at import
    instead of reading ``None`` from every event.
    """
    if name not in {f.name for f in dataclasses.fields(cls)}:
        raise TypeError(f"{name!r} is not a field of {cls.__name__}")
    return name


def to_data(value: Any) -> Any:
    """A dataclass (or value inside one) as JSON-ready data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        # One spelling for every instant: UTC, to the microsecond (sorts as text, too).
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, tuple | list):
        return [to_data(item) for item in value]
    if isinstance(value, dict):
        return {k: to_data(v) for k, v in value.items()}
    return value


def _converter(hint: Any) -> Callable[[Any], Any] | None:
    """How to turn stored JSON back into the annotated type (None: as is)."""
    if hint is datetime:
        return datetime.fromisoformat
    if dataclasses.is_dataclass(hint):
        build = _builder(hint)  # type: ignore[arg-type]
        return build
    origin = typing.get_origin(hint)
    if origin is tuple:
        return tuple
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(options) == 1:
            inner = _converter(options[0])
            if inner is not None:
                return lambda raw: None if raw is None else inner(raw)
    return None


_BUILDERS: dict[type[Any], Callable[[Any], Any]] = {}


def _builder(cls: type[Any]) -> Callable[[Any], Any]:
    if cls in _BUILDERS:
        return _BUILDERS[cls]
    hints = typing.get_type_hints(cls)
    converters = {f.name: _converter(hints[f.name]) for f in dataclasses.fields(cls) if f.init}

    def build(data: JSON) -> Any:
        kwargs = {}
        for name, convert in converters.items():
            if name in data:
                raw = data[name]
                kwargs[name] = raw if convert is None or raw is None else convert(raw)
        return cls(**kwargs)

    _BUILDERS[cls] = build
    return build


def from_data(cls: type[T], data: JSON) -> T:
    """A story event (or part of one) from its stored payload."""
    built: T = _builder(cls)(data)
    return built


def decode(event: RecordedEvent) -> StoryEvent:
    """The typed story event behind a stored one (payload already upcast)."""
    cls = EVENT_TYPES.get(event.type)
    if cls is None:
        raise ValueError(f"unknown event type {event.type!r} at position {event.position}")
    result: StoryEvent = _builder(cls)(event.data)
    return result


def new_event(event: StoryEvent, *natural_key: str, occurred_at: datetime) -> NewEvent:
    """Wrap a story event for appending, with an id derived from its natural key."""
    return NewEvent(
        event_id=event_id_for(event.TYPE, *natural_key),
        type=event.TYPE,
        data=to_data(event),
        occurred_at=occurred_at,
        schema_version=event.SCHEMA,
    )
