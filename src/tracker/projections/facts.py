"""The facts projection: every assertion on the timeline, each key's winner, the answers.

It works from the stored payloads directly, not through the typed events: a
rebuild applies a million events, and the timeline rule it serves is the one in
``tracker.domain.story`` (the as-of queries use it; tests compare the two).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tracker.domain.events import (
    FactAsserted,
    FactRetracted,
)
from tracker.domain.log import RecordedEvent, StoredId, id_text
from tracker.domain.story import Question, decide
from tracker.projections.evidence import evidence_of
from tracker.projections.facts_sql import ELIGIBLE, LATER_WINNER, POSTGRES_BULK, SQLITE_BULK
from tracker.projections.pages import Page
from tracker.projections.timeline import (
    ASSERTION_ID,
    END_OF_TIME,
    KEY,
    RETRACTED_KEY,
    TIMELINE_INDEX,
    VALID_FROM,
    VALUE,
    TimelineReader,
    held_at,
)
from tracker.store.driver import Driver
from tracker.store.schema import (
    answers,
    current_facts,
    fact_timeline,
)


class FactsProjection:
    """Every assertion on the timeline, the current winner per key, and question answers.

    One projection, one transaction: the three tables can never disagree. A page's
    assertions go in with a few statements over its range of the log, as the set-wise
    rebuild writes them, so their payloads are never decoded in Python; a page the SQL
    form cannot take (older schemas, times not in their stored form) goes event by event.
    """

    name = "facts"
    tables = (fact_timeline, current_facts, answers)

    def __init__(
        self,
        driver: Driver,
        questions: Sequence[Question],
        reader: TimelineReader,
        *,
        set_wise: bool = True,
    ) -> None:
        self._driver = driver
        self._questions = tuple(questions)
        self._question_keys = tuple(dict.fromkeys(k for q in questions for k in q.facts))
        self._reader = reader
        self._set_wise = set_wise
        d = driver
        m = d.mark
        self._insert = (
            "INSERT INTO fact_timeline (key, value, valid_from, position, recorded_at, "
            f"retracted_at, retracted_position) VALUES ({m}, {d.json_mark}, {m}, "
            f"{m}, {m}, NULL, NULL)"
        )
        current = ["key", "assertion_id", "value", "valid_from", "position"]
        self._upsert_current = d.upsert("current_facts", current, ["key"], json_columns=["value"])
        self._advance_sql = f"{self._upsert_current} WHERE {LATER_WINNER}"
        self._upsert_answer = d.upsert(
            "answers",
            ["question_id", "value", "since", "evidence", "position"],
            ["question_id"],
            json_columns=["evidence"],
        )
        bulk = POSTGRES_BULK if d.postgres else SQLITE_BULK
        # In key order the (key, valid_from) index is written page by page, not at random
        # (a third faster at a million events); a rebuild builds the index after instead.
        self._page_timeline = f"{bulk['timeline'].replace('?', m)} ORDER BY 2"
        self._page_malformed = bulk["malformed"].replace("?", m) if "malformed" in bulk else None
        # Each key's latest assertion of the page, kept only if it beats the stored one.
        self._page_current = (
            f"INSERT INTO current_facts ({', '.join(current)}) "
            f"SELECT w.key, {bulk['id_text']}, w.value, w.valid_from, w.position FROM "
            "(SELECT key, value, valid_from, position, row_number() OVER (PARTITION BY key "
            "ORDER BY valid_from DESC, position DESC) AS n FROM fact_timeline "
            f"WHERE position > {m} AND position <= {m}) AS w "
            "JOIN events e ON e.position = w.position WHERE w.n = 1 "
            f"{d.on_conflict_update(current, ['key'])} WHERE {LATER_WINNER}"
        )
        self._page_changed = (
            "SELECT key, max(position) FROM fact_timeline "
            f"WHERE position > {m} AND position <= {m} "
            f"AND key IN ({d.marks(len(self._question_keys))}) GROUP BY key"
        )

    def apply(self, conn: Connection, page: Page) -> None:
        if not page.has(FactAsserted.TYPE, FactRetracted.TYPE):
            return
        with self._driver.cursor(conn) as cursor:
            # An answer row names the last event that changed its keys, however paged: an
            # assertion, or a retraction that withdrew one (the set-wise rebuild's rule).
            changed: dict[str, int] = {}
            if page.has(FactAsserted.TYPE):
                found = self._assert_in_sql(cursor, page) if self._set_wise else None
                if found is None:
                    found = self._assert_in_python(cursor, page.events(FactAsserted.TYPE))
                changed = found
            for event in page.events(FactRetracted.TYPE):
                if self._retract(cursor, event):
                    key = event.data[RETRACTED_KEY]
                    changed[key] = max(changed.get(key, 0), event.position)
            for question in self._questions:
                moved = [changed[k] for k in question.facts if k in changed]
                if moved:
                    self._recompute_answer(cursor, question, max(moved))

    def _assert_in_sql(self, cursor: Any, page: Page) -> dict[str, int] | None:
        """The page's assertions on the timeline and in current facts, straight from the
        log in SQL; the last assertion of each question key. None, having written
        nothing, when the page holds what only the Python path reads."""
        if page.schemas(FactAsserted.TYPE) - {FactAsserted.SCHEMA}:
            return None  # upcasters are Python
        d = self._driver
        bounds = (page.after, page.upto)
        cursor.execute("SAVEPOINT facts_page")
        try:
            cursor.execute(self._page_timeline, bounds)
            declined = False
            if self._page_malformed is not None:
                cursor.execute(self._page_malformed, bounds)
                declined = bool(cursor.fetchone()[0])
        except d.errors:
            # A payload the SQL cannot read (no key, a time PostgreSQL will not cast):
            # the Python path meets it too, and names the event.
            declined = True
        if declined:
            cursor.execute("ROLLBACK TO SAVEPOINT facts_page")
        cursor.execute("RELEASE SAVEPOINT facts_page")
        if declined:
            return None
        cursor.execute(self._page_current, bounds)
        if not self._question_keys:
            return {}
        cursor.execute(self._page_changed, (*bounds, *self._question_keys))
        return {key: position for key, position in cursor.fetchall()}

    def _assert_in_python(self, cursor: Any, events: Iterable[RecordedEvent]) -> dict[str, int]:
        """The event-by-event form of :meth:`_assert_in_sql`: decoded and upcast payloads,
        times in any offset. Returns the last assertion of every key."""
        d = self._driver
        key_name, value_name, valid_name = KEY, VALUE, VALID_FROM  # locals in the loop
        rows: list[tuple[Any, ...]] = []
        best: dict[str, tuple[datetime, int, StoredId, Any]] = {}
        changed: dict[str, int] = {}
        last_recorded: tuple[datetime | None, Any] = (None, None)
        for event in events:
            # Events appended together share one recorded_at: encode it once.
            if last_recorded[0] != event.recorded_at:
                last_recorded = (event.recorded_at, d.time(event.recorded_at))
            data = event.data
            key, value = data[key_name], data.get(value_name)
            valid_from = datetime.fromisoformat(data[valid_name])
            rows.append(
                (
                    key,
                    d.json(value),
                    d.time_text(data[valid_name]),
                    event.position,
                    last_recorded[1],
                )
            )
            changed[key] = event.position
            # The id stays in its stored form: only each key's winner is written out.
            candidate = (valid_from, event.position, event.stored_id, value)
            held = best.get(key)
            if held is None or candidate[:2] > held[:2]:
                best[key] = candidate
        # In key order the (key, valid_from) index is written page by page, not at random.
        rows.sort(key=lambda row: row[0])
        cursor.executemany(self._insert, rows)
        self._advance_current(cursor, best)
        return changed

    def _retract(self, cursor: Any, event: RecordedEvent) -> bool:
        """Mark the assertion a retraction names; False when its key does not hold it
        (or it was already retracted): then nothing changed."""
        d = self._driver
        key = event.data[RETRACTED_KEY]
        # The retracted assertion is one of its key's on the timeline (as in the fold);
        # the log tells which by its id.
        cursor.execute(
            f"UPDATE fact_timeline SET retracted_at = {d.mark}, retracted_position = "
            f"{d.mark} WHERE position = (SELECT t.position FROM fact_timeline t "
            f"JOIN events e ON e.position = t.position WHERE t.key = {d.mark} "
            f"AND e.event_id = {d.mark}) AND retracted_at IS NULL",
            (d.time(event.recorded_at), event.position, key, d.uuid(event.data[ASSERTION_ID])),
        )
        if cursor.rowcount != 1:
            return False
        self._recompute_current(cursor, key)
        return True

    def _advance_current(
        self, cursor: Any, best: dict[str, tuple[datetime, int, StoredId, Any]]
    ) -> None:
        if not best:
            return
        d = self._driver
        cursor.executemany(
            self._advance_sql,
            [
                (key, id_text(stored_id), d.json(value), d.time(valid_from), position)
                for key, (valid_from, position, stored_id, value) in best.items()
            ],
        )

    def _recompute_current(self, cursor: Any, key: str) -> None:
        d = self._driver
        cursor.execute(
            "SELECT e.event_id, t.value, t.valid_from, t.position FROM fact_timeline t "
            f"JOIN events e ON e.position = t.position WHERE t.key = {d.mark} "
            "AND t.retracted_at IS NULL ORDER BY t.valid_from DESC, t.position DESC LIMIT 1",
            (key,),
        )
        row = cursor.fetchone()
        if row is None:
            cursor.execute(self._upsert_current, (key, None, d.json(None), None, None))
            return
        stored_id, value, valid_from, position = row
        cursor.execute(
            self._upsert_current,
            (key, id_text(stored_id), d.json(d.read_json(value)), valid_from, position),
        )

    def _recompute_answer(self, cursor: Any, question: Question, position: int) -> None:
        d = self._driver
        held = [held_at(cursor, self._reader, k, END_OF_TIME, END_OF_TIME) for k in question.facts]
        result = decide(question, [h for h in held if h is not None])
        cursor.execute(
            self._upsert_answer,
            (
                question.id,
                result.value,
                d.time(result.since),
                d.json([evidence_of(a) for a in result.evidence]),
                position,
            ),
        )

    # -- rebuilding in bulk ------------------------------------------------------------

    def rebuild_bulk(self, conn: Connection, upto: int) -> bool:
        """Rebuild the three tables from the log up to ``upto`` in a few SQL statements.

        The same rule as :meth:`apply`, set-wise, for a rebuild of a large log; the
        rebuild-equals-incremental tests hold the two to each other. Returns False, having
        written nothing, when the log holds what only the Python path handles: payloads
        at an older schema (upcasters are Python) or times not in their stored form, or
        when this projection was made to work event by event.
        """
        if not self._set_wise:
            return False
        d = self._driver
        sql = POSTGRES_BULK if d.postgres else SQLITE_BULK
        with d.cursor(conn) as cursor:
            cursor.execute(
                ELIGIBLE.replace("?", d.mark), (upto, FactAsserted.SCHEMA, FactRetracted.SCHEMA)
            )
            if cursor.fetchone()[0]:
                return False
            # Filling the table first and indexing it after is several times faster than
            # maintaining the index row by row; the index is the one the schema declares.
            index = next(i for i in fact_timeline.indexes if i.name == TIMELINE_INDEX)
            conn.execute(sa.schema.DropIndex(index))
            cursor.execute(sql["timeline"].replace("?", d.mark), (0, upto))
            malformed = sql.get("malformed")
            if malformed is not None:
                # Checked on the narrow timeline rather than by parsing every payload twice.
                cursor.execute(malformed.replace("?", d.mark), (0, upto))
                if cursor.fetchone()[0]:
                    cursor.execute("DELETE FROM fact_timeline")
                    conn.execute(sa.schema.CreateIndex(index))
                    return False
            conn.execute(sa.schema.CreateIndex(index))
            cursor.execute(sql["retractions"].replace("?", d.mark), (upto,))
            cursor.execute(sql["current"])
            for question in self._questions:
                marks = d.marks(len(question.facts))
                cursor.execute(
                    "SELECT max(p) FROM (SELECT max(position) AS p FROM fact_timeline "
                    f"WHERE key IN ({marks}) UNION ALL SELECT max(retracted_position) "
                    f"FROM fact_timeline WHERE key IN ({marks})) AS changed",
                    (*question.facts, *question.facts),
                )
                position = cursor.fetchone()[0]
                if position is not None:
                    self._recompute_answer(cursor, question, position)
        return True
