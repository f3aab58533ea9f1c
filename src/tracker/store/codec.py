"""The one codec of events: a stored row in, a recorded event out, and back.

The log encodes what it appends and decodes what it reads with it, and so does
every reader that takes payloads straight from the ``events`` table (the
timeline's joins): upcasting to the current schema happens here and nowhere else.
Rows are plain driver tuples; the decoder is built once per read so the hot loop
is one tuple unpack, one constructor and one dictionary look-up.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import orjson

from tracker.domain.log import JSON, NewEvent, RecordedEvent, Upcasters
from tracker.domain.upcasting import UPCASTERS
from tracker.store.engine import dumps
from tracker.store.schema import utc_text

# The columns of a row handed to the decoder, in order.
STORED_FIELDS = (
    "position, stream, version, type, schema_version, data, occurred_at, recorded_at, event_id"
)
# The columns of a row the encoder makes, in order.
INSERT_FIELDS = "event_id, stream, version, type, schema_version, data, occurred_at, recorded_at"

Decoder = Callable[[tuple[Any, ...]], RecordedEvent]


class EventCodec:
    """Encodes, decodes and upcasts events in one driver's stored form (sqlite3 or psycopg)."""

    __slots__ = ("_last_time", "postgres", "upcasters")

    def __init__(self, *, postgres: bool, upcasters: Upcasters = UPCASTERS) -> None:
        self.postgres = postgres
        self.upcasters = upcasters
        # the last occurrence time encoded: a document's events mostly share one
        self._last_time: tuple[datetime, str] | None = None

    def recorded(self, at: datetime) -> Any:
        """A recording time in its stored form, computed once per append."""
        return at if self.postgres else utc_text(at)

    def encode(self, event: NewEvent, stream: str, version: int, recorded: Any) -> tuple[Any, ...]:
        """The row to insert, in ``INSERT_FIELDS`` order (stream and version 2nd and 3rd)."""
        if self.postgres:
            return (
                event.event_id,
                stream,
                version,
                event.type,
                event.schema_version,
                dumps(event.data),
                event.occurred_at.astimezone(UTC),
                recorded,
            )
        return (
            event.event_id.bytes,
            stream,
            version,
            event.type,
            event.schema_version,
            dumps(event.data),
            self._occurred(event.occurred_at),
            recorded,
        )

    def _occurred(self, at: datetime) -> str:
        last = self._last_time
        if last is not None and last[0] == at:
            return last[1]
        text = utc_text(at)
        self._last_time = (at, text)
        return text

    def decoder(self) -> Decoder:
        """Turns a row in ``STORED_FIELDS`` order into a recorded event at the current schema."""
        make = RecordedEvent._make
        needs_upcast, upcast = self.upcasters.needs_upcast, self.upcast

        if self.postgres:

            def decode(row: tuple[Any, ...]) -> RecordedEvent:
                p, s, v, t, sv, d, o, r, e = row
                event = make((p, s, v, t, sv, d, _utc(o), _utc(r), e))
                return upcast(event) if needs_upcast(t, sv) else event

        else:
            loads, parse = orjson.loads, datetime.fromisoformat

            def decode(row: tuple[Any, ...]) -> RecordedEvent:
                p, s, v, t, sv, d, o, r, e = row
                event = make((p, s, v, t, sv, loads(d), parse(o), parse(r), e))
                return upcast(event) if needs_upcast(t, sv) else event

        return decode

    def payload(self, type_name: str, schema_version: int, data: Any) -> JSON:
        """A stored payload of this type, decoded and lifted to the current schema."""
        payload: JSON = (
            orjson.loads(data) if isinstance(data, str | bytes) and not self.postgres else data
        )
        if self.upcasters.needs_upcast(type_name, schema_version):
            _, payload = self.upcasters.upcast(type_name, schema_version, payload)
        return payload

    def upcast(self, event: RecordedEvent) -> RecordedEvent:
        version, data = self.upcasters.upcast(event.type, event.schema_version, event.data)
        return event._replace(schema_version=version, data=data)


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is UTC else value.astimezone(UTC)
