"""The fact timeline as the reads take it: rows back into assertions, and what held when.

Payloads of assertions are read from the log by position and decoded by the one
codec (``tracker.store.codec``), upcast if they were stored at an older schema.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from tracker.domain.events import FactAsserted, FactRetracted, from_data, key_of
from tracker.domain.log import Upcasters, id_text
from tracker.domain.story import Assertion
from tracker.store.codec import EventCodec
from tracker.store.driver import Driver

END_OF_TIME = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
# The payload keys the timeline is written from, in Python and in SQL JSON paths.
KEY = key_of(FactAsserted, "key")
VALUE = key_of(FactAsserted, "value")
VALID_FROM = key_of(FactAsserted, "valid_from")
RETRACTED_KEY = key_of(FactRetracted, "key")
ASSERTION_ID = key_of(FactRetracted, "assertion_id")
TIMELINE_INDEX = "ix_fact_timeline_key_valid"
# A timeline row with its assertion's id and payload, read from the log by position.
TIMELINE_FIELDS = (
    "e.event_id, t.key, t.value, t.valid_from, t.position, t.recorded_at, t.retracted_at, "
    "e.schema_version, e.data"
)
TIMELINE_FROM = "fact_timeline t JOIN events e ON e.position = t.position"
TIMELINE_SELECT = f"SELECT {TIMELINE_FIELDS} FROM {TIMELINE_FROM}"


class TimelineReader:
    """Turns timeline rows back into assertions, upcasting payloads stored at older schemas."""

    def __init__(self, driver: Driver, upcasters: Upcasters) -> None:
        self.driver = driver
        self._codec = EventCodec(postgres=driver.postgres, upcasters=upcasters)

    def payload(self, schema_version: int, data: Any) -> dict[str, Any]:
        return self._codec.payload(FactAsserted.TYPE, schema_version, data)

    def assertion(self, row: Sequence[Any]) -> Assertion:
        """A row of ``TIMELINE_SELECT``."""
        stored_id, key, value, valid_from, position, recorded_at, retracted_at, version, data = row
        d = self.driver
        return Assertion(
            assertion_id=id_text(stored_id),
            key=key,
            value=d.read_json(value),
            valid_from=d.read_time(valid_from) or END_OF_TIME,
            position=position,
            recorded_at=d.read_time(recorded_at) or END_OF_TIME,
            fact=from_data(FactAsserted, self.payload(version, data)),
            retracted_at=d.read_time(retracted_at),
        )


def held_at(
    cursor: Any,
    reader: TimelineReader,
    key: str,
    at: datetime,
    known_at: datetime,
    *,
    upto: int | None = None,
) -> tuple[Assertion, datetime] | None:
    """The key's holding assertion at ``at`` as known at ``known_at``, and since when its
    value has held (the fold's ``holds_since``): the first visible moment after the last
    one whose assertion says something else. A few index seeks, however long the key's
    history.

    With ``upto``, what is visible is the log as it stood at that position instead of
    at a moment (``known_at`` is then unused): the alerts' before and after."""
    d = reader.driver
    m = d.mark
    if upto is None:
        visible: tuple[Any, ...] = (key, d.time(at), d.time(known_at), d.time(known_at))
        seek = (
            f"s.key = {m} AND s.valid_from <= {m} AND s.recorded_at <= {m} "
            f"AND (s.retracted_at IS NULL OR s.retracted_at > {m})"
        )
    else:
        visible = (key, d.time(at), upto, upto)
        seek = (
            f"s.key = {m} AND s.valid_from <= {m} AND s.position <= {m} "
            f"AND (s.retracted_position IS NULL OR s.retracted_position > {m})"
        )
    cursor.execute(
        f"{TIMELINE_SELECT} WHERE t.position = (SELECT s.position FROM fact_timeline s "
        f"WHERE {seek} ORDER BY s.valid_from DESC, s.position DESC LIMIT 1)",
        visible,
    )
    row = cursor.fetchone()
    if row is None:
        return None
    held = reader.assertion(row)
    return held, _held_since(cursor, d, seek, visible, held)


def _held_since(
    cursor: Any, d: Driver, seek: str, visible: tuple[Any, ...], held: Assertion
) -> datetime:
    """The first visible moment after the last one whose assertion says something other
    than ``held``: the seeks of :func:`held_at` past the holding assertion."""
    m = d.mark
    null = "'null'::jsonb" if d.postgres else "'null'"
    differs = "IS DISTINCT FROM" if d.postgres else "IS NOT"
    other = (
        f"SELECT s.valid_from, s.position FROM fact_timeline s WHERE {seek} "
        f"AND coalesce(s.value, {null}) {differs} (SELECT coalesce(w.value, {null}) "
        f"FROM fact_timeline w WHERE w.position = {m})"
    )
    before: Any = None
    while True:
        bounded = f" AND s.valid_from < {m}" if before is not None else ""
        cursor.execute(
            f"{other}{bounded} ORDER BY s.valid_from DESC, s.position DESC LIMIT 1",
            (*visible, held.position, *((before,) if before is not None else ())),
        )
        found = cursor.fetchone()
        if found is None:
            break
        moment, position = found
        # A later assertion at that same moment wins it, and says what ``held`` says.
        cursor.execute(
            f"SELECT 1 FROM fact_timeline s WHERE {seek} AND s.valid_from = {m} "
            f"AND s.position > {m} LIMIT 1",
            (*visible, moment, position),
        )
        if cursor.fetchone() is None:
            break
        before = moment
    after = f" AND s.valid_from > {m}" if found is not None else ""
    cursor.execute(
        f"SELECT s.valid_from FROM fact_timeline s WHERE {seek}{after} "
        "ORDER BY s.valid_from LIMIT 1",
        (*visible, *((found[0],) if found is not None else ())),
    )
    since = d.read_time(cursor.fetchone()[0])
    assert since is not None
    return since
