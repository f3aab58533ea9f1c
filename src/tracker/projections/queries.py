"""As-of reads on the stored views: a few index look-ups per key, never a replay."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from tracker.domain.story import Answer, Assertion, Question, answer
from tracker.projections.views import TIMELINE_COLUMNS, assertion_from_row
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
    def __init__(self, driver: Driver) -> None:
        self._d = driver

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
        sql = f"SELECT {TIMELINE_COLUMNS} FROM fact_timeline WHERE key = {d.mark}"
        extra: tuple[Any, ...] = ()
        if known_at is not None:
            sql += f" AND recorded_at <= {d.mark}"
            extra = (d.time(known_at),)
        sql += " ORDER BY position"
        return {
            key: [assertion_from_row(d, row) for row in d.fetch(sql, (key, *extra))] for key in keys
        }

    def answer(self, question: Question, at: datetime, known_at: datetime) -> Answer:
        return answer(question, self.assertions(question.facts, known_at), at, known_at)

    def state_at(self, at: datetime, known_at: datetime) -> list[FactRow]:
        """Every key's holding assertion at ``at`` as known at ``known_at``: one statement."""
        d = self._d
        rows = d.fetch(
            "SELECT t.key, t.value, t.valid_from, t.position, t.recorded_at, t.assertion_id, "
            "t.fact FROM current_facts c JOIN fact_timeline t ON t.position = ("
            "SELECT s.position FROM fact_timeline s WHERE s.key = c.key AND "
            f"{self._visible_in('s')} "
            "ORDER BY s.valid_from DESC, s.position DESC LIMIT 1) ORDER BY t.key",
            self._bounds(at, known_at),
        )
        read_time, read_json = d.read_time, d.read_json
        return [
            FactRow(k, read_json(v), read_time(vf), p, read_time(r), a, read_json(f))  # type: ignore[arg-type]
            for k, v, vf, p, r, a, f in rows
        ]

    def history(self, key: str) -> list[tuple[Assertion, int | None]]:
        """Every assertion of a key in log order, with the position that retracted it."""
        d = self._d
        rows = d.fetch(
            f"SELECT {TIMELINE_COLUMNS}, retracted_position FROM fact_timeline "
            f"WHERE key = {d.mark} ORDER BY position",
            (key,),
        )
        return [(assertion_from_row(d, row[:-1]), row[-1]) for row in rows]

    def is_known_key(self, key: str) -> bool:
        d = self._d
        return bool(d.fetch(f"SELECT 1 FROM current_facts WHERE key = {d.mark}", (key,)))

    def statements(self, speakers: Sequence[str] | None = None) -> list[dict[str, Any]]:
        d = self._d
        sql = (
            "SELECT statement_id, position, speaker, speaker_name, verb, mode, quote, content, "
            "said_at, said_precision, about, doc_id, sentence, recorded_at FROM statements"
        )
        params: tuple[Any, ...] = ()
        if speakers:
            sql += f" WHERE speaker IN ({d.marks(len(speakers))})"
            params = tuple(speakers)
        sql += " ORDER BY position"
        names = (
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
        )
        out = []
        for row in d.fetch(sql, params):
            item = dict(zip(names, row, strict=True))
            item["about"] = d.read_json(item["about"])
            for field in ("said_at", "recorded_at"):
                item[field] = d.read_time(item[field])
            out.append(item)
        return out
