"""As-of reads on the stored views: a few index look-ups per key, never a replay."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

from tracker.domain.log import id_text
from tracker.domain.story import Answer, Assertion, Question, decide
from tracker.projections.timeline import (
    TIMELINE_FIELDS,
    TIMELINE_FROM,
    TIMELINE_SELECT,
    VALID_FROM,
    VALUE,
    TimelineReader,
    held_at,
)
from tracker.store.driver import Driver


class FactRow(NamedTuple):
    """A fact as held at some instant: cheap to build by the ten thousand."""

    key: str
    value: Any
    valid_from: datetime
    position: int
    recorded_at: datetime
    assertion_id: str
    fact: dict[str, Any]


class StoryQueries:
    def __init__(self, driver: Driver, reader: TimelineReader) -> None:
        self._d = driver
        self._reader = reader

    def _visible_in(self, alias: str) -> str:
        """Assertions valid by ``at`` (1st mark) and known, unretracted, at ``known_at``."""
        m = self._d.mark
        return (
            f"{alias}.valid_from <= {m} AND {alias}.recorded_at <= {m} "
            f"AND ({alias}.retracted_at IS NULL OR {alias}.retracted_at > {m})"
        )

    def _bounds(self, at: datetime, known_at: datetime) -> tuple[Any, Any, Any]:
        d = self._d
        return d.time(at), d.time(known_at), d.time(known_at)

    def assertions(
        self, keys: Sequence[str], known_at: datetime | None = None
    ) -> dict[str, list[Assertion]]:
        """Every assertion of these keys (recorded by ``known_at``), in log order."""
        d = self._d
        sql = f"{TIMELINE_SELECT} WHERE t.key = {d.mark}"
        extra: tuple[Any, ...] = ()
        if known_at is not None:
            sql += f" AND t.recorded_at <= {d.mark}"
            extra = (d.time(known_at),)
        sql += " ORDER BY t.position"
        read = self._reader.assertion
        return {key: [read(row) for row in d.fetch(sql, (key, *extra))] for key in keys}

    def answer(self, question: Question, at: datetime, known_at: datetime) -> Answer:
        """The fold's answer, from index seeks: a few per key, however long its history."""
        with self._d.reading() as cursor:
            held = [held_at(cursor, self._reader, key, at, known_at) for key in question.facts]
        return decide(question, [h for h in held if h is not None])

    def state_at(self, at: datetime, known_at: datetime) -> list[FactRow]:
        """Every key's holding assertion at ``at`` as known at ``known_at``: one statement."""
        d = self._d
        # The seek is answered from the index alone; the winner's row is read from the log.
        rows = d.fetch(
            "SELECT c.key, e.position, e.recorded_at, e.event_id, e.schema_version, e.data "
            "FROM current_facts c JOIN events e ON e.position = ("
            "SELECT s.position FROM fact_timeline s WHERE s.key = c.key AND "
            f"{self._visible_in('s')} "
            "ORDER BY s.valid_from DESC, s.position DESC LIMIT 1) ORDER BY c.key",
            self._bounds(at, known_at),
        )
        read_time, payload, parse = d.read_time, self._reader.payload, datetime.fromisoformat
        out = []
        for key, position, recorded_at, stored_id, version, data in rows:
            fact = payload(version, data)
            out.append(
                FactRow(
                    key,
                    fact.get(VALUE),
                    parse(fact[VALID_FROM]).astimezone(UTC),
                    position,
                    read_time(recorded_at),  # type: ignore[arg-type]
                    id_text(stored_id),
                    fact,
                )
            )
        return out

    def history(self, key: str) -> list[tuple[Assertion, int | None]]:
        """Every assertion of a key in log order, with the position that retracted it."""
        d = self._d
        rows = d.fetch(
            f"SELECT {TIMELINE_FIELDS}, t.retracted_position FROM {TIMELINE_FROM} "
            f"WHERE t.key = {d.mark} ORDER BY t.position",
            (key,),
        )
        return [(self._reader.assertion(row[:-1]), row[-1]) for row in rows]

    def retraction_of(self, position: int) -> int | None:
        """The position of the event that retracted the assertion at ``position``, if any
        (whatever stream it was recorded in)."""
        d = self._d
        rows = d.fetch(
            f"SELECT retracted_position FROM fact_timeline WHERE position = {d.mark}",
            (position,),
        )
        return int(rows[0][0]) if rows and rows[0][0] is not None else None

    def valid_by(
        self, at: datetime, known_at: datetime, *, limit: int
    ) -> tuple[int, list[tuple[Assertion, int | None]]]:
        """Assertions valid by ``at`` and recorded by ``known_at``: how many there are, and
        the latest ``limit`` of them by valid time, oldest first, each with the position
        that retracted it (any time: the caller decides what was known)."""
        d = self._d
        where = f"WHERE t.valid_from <= {d.mark} AND t.recorded_at <= {d.mark}"
        bounds = (d.time(at), d.time(known_at))
        total = d.fetch(f"SELECT count(*) FROM fact_timeline t {where}", bounds)[0][0]
        rows = d.fetch(
            f"SELECT {TIMELINE_FIELDS}, t.retracted_position FROM {TIMELINE_FROM} {where} "
            f"ORDER BY t.valid_from DESC, t.position DESC LIMIT {int(limit)}",
            bounds,
        )
        found = [(self._reader.assertion(row[:-1]), row[-1]) for row in rows]
        return int(total), found[::-1]

    def is_known_key(self, key: str) -> bool:
        d = self._d
        return bool(d.fetch(f"SELECT 1 FROM current_facts WHERE key = {d.mark}", (key,)))

    def statements(
        self, speakers: Sequence[str] | None = None, side: str | None = None
    ) -> list[dict[str, Any]]:
        """Statements in log order, with their source document; ``speakers`` and ``side``
        (when given) keep those by one of the speakers or from that side."""
        d = self._d
        sql = (
            f"SELECT {', '.join('s.' + name for name in _STATEMENT_COLUMNS)}, "
            "doc.title, doc.url, doc.feed, doc.published_at "
            "FROM statements s LEFT JOIN documents doc ON doc.doc_id = s.doc_id"
        )
        params: tuple[Any, ...] = ()
        wheres = []
        if speakers:
            wheres.append(f"s.speaker IN ({d.marks(len(speakers))})")
            params += tuple(speakers)
        if side:
            wheres.append(f"s.side = {d.mark}")
            params += (side,)
        if wheres:
            sql += " WHERE " + " OR ".join(wheres)
        sql += " ORDER BY s.position"
        return [self._statement(row) for row in d.fetch(sql, params)]

    def _statement(self, row: Sequence[Any]) -> dict[str, Any]:
        """One statement row, with its source document when the document is known."""
        d = self._d
        names = _STATEMENT_COLUMNS
        item = dict(zip(names, row[: len(names)], strict=True))
        item["about"] = d.read_json(item["about"])
        for field in ("said_at", "recorded_at"):
            item[field] = d.read_time(item[field])
        title, url, feed, published = row[len(names) :]
        item["source"] = (
            {
                "title": title,
                "url": url,
                "feed": feed,
                "published_at": _iso(d.read_time(published)) if published else None,
            }
            if title is not None
            else None
        )
        return item


# The statements projection's columns, in the order ``statements`` returns them.
_STATEMENT_COLUMNS = (
    "statement_id",
    "position",
    "speaker",
    "speaker_name",
    "verb",
    "mode",
    "quote",
    "content",
    "said_at",
    "said_precision",
    "about",
    "doc_id",
    "sentence",
    "recorded_at",
    "side",
)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
