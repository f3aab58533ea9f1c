"""The stored views: facts (timeline, current facts, answers), statements, documents.

They work from the stored payloads directly, not through the typed events: a
rebuild applies a million events, and the timeline rule they serve is the one
in ``tracker.domain.story`` (the as-of queries use it; tests compare the two).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tracker.domain.events import (
    DocumentIngested,
    DocumentRevised,
    Evidence,
    FactAsserted,
    FactRetracted,
    StatementReported,
    from_data,
)
from tracker.domain.log import RecordedEvent, StoredId, Upcasters, id_text
from tracker.domain.story import Assertion, Question, decide
from tracker.projections.pages import Page
from tracker.store.codec import EventCodec
from tracker.store.driver import Driver
from tracker.store.schema import (
    answers,
    current_facts,
    documents,
    fact_timeline,
    statements,
)

END_OF_TIME = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
# The database keeps the later of the stored winner and a page's, in the upsert itself:
# no read of the page's keys first. Stored times compare as stored (fixed-width UTC text
# on SQLite); a row with no assertion loses to any.
_LATER_WINNER = (
    "current_facts.position IS NULL OR excluded.valid_from > current_facts.valid_from "
    "OR (excluded.valid_from = current_facts.valid_from "
    "AND excluded.position > current_facts.position)"
)
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
    return held, since


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
        self._advance_sql = f"{self._upsert_current} WHERE {_LATER_WINNER}"
        self._upsert_answer = d.upsert(
            "answers",
            ["question_id", "value", "since", "evidence", "position"],
            ["question_id"],
            json_columns=["evidence"],
        )
        bulk = _POSTGRES_BULK if d.postgres else _SQLITE_BULK
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
            f"{d.on_conflict_update(current, ['key'])} WHERE {_LATER_WINNER}"
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
                    key = event.data["key"]
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
        rows: list[tuple[Any, ...]] = []
        best: dict[str, tuple[datetime, int, StoredId, Any]] = {}
        changed: dict[str, int] = {}
        last_recorded: tuple[datetime | None, Any] = (None, None)
        for event in events:
            # Events appended together share one recorded_at: encode it once.
            if last_recorded[0] != event.recorded_at:
                last_recorded = (event.recorded_at, d.time(event.recorded_at))
            data = event.data
            key, value = data["key"], data.get("value")
            valid_from = datetime.fromisoformat(data["valid_from"])
            rows.append(
                (
                    key,
                    d.json(value),
                    d.time_text(data["valid_from"]),
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
        key = event.data["key"]
        # The retracted assertion is one of its key's on the timeline (as in the fold);
        # the log tells which by its id.
        cursor.execute(
            f"UPDATE fact_timeline SET retracted_at = {d.mark}, retracted_position = "
            f"{d.mark} WHERE position = (SELECT t.position FROM fact_timeline t "
            f"JOIN events e ON e.position = t.position WHERE t.key = {d.mark} "
            f"AND e.event_id = {d.mark}) AND retracted_at IS NULL",
            (d.time(event.recorded_at), event.position, key, d.uuid(event.data["assertion_id"])),
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
        sql = _POSTGRES_BULK if d.postgres else _SQLITE_BULK
        with d.cursor(conn) as cursor:
            cursor.execute(
                _ELIGIBLE.replace("?", d.mark), (upto, FactAsserted.SCHEMA, FactRetracted.SCHEMA)
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


# Set-wise forms of FactsProjection.apply. The payload's times are already UTC text
# at microsecond precision (the stored form on SQLite, checked); ids are 16 bytes on SQLite.
_ELIGIBLE = (
    "SELECT count(*) FROM events WHERE position <= ? AND ("
    "(type = 'FactAsserted' AND schema_version <> ?) "
    "OR (type = 'FactRetracted' AND schema_version <> ?))"
)
_SQLITE_BULK = {
    "timeline": (
        "INSERT INTO fact_timeline (position, key, value, valid_from, recorded_at) "
        "SELECT position, data ->> '$.key', data -> '$.value', data ->> '$.valid_from', "
        "recorded_at FROM events WHERE type = 'FactAsserted' AND position > ? AND position <= ?"
    ),
    "malformed": (
        "SELECT count(*) FROM fact_timeline WHERE position > ? AND position <= ? "
        "AND (length(valid_from) <> 32 OR valid_from NOT LIKE '%+00:00')"
    ),
    "retractions": (
        "UPDATE fact_timeline SET retracted_at = r.recorded_at, retracted_position = r.position "
        "FROM (SELECT a.position AS target, min(x.position) AS first FROM events x "
        "JOIN fact_timeline k ON k.key = x.data ->> '$.key' JOIN events a ON a.position = "
        "k.position AND lower(hex(a.event_id)) = replace(x.data ->> '$.assertion_id', '-', '') "
        "WHERE x.type = 'FactRetracted' AND a.position < x.position "
        "AND x.position <= ? GROUP BY a.position) AS f JOIN events r ON r.position = f.first "
        "WHERE fact_timeline.position = f.target"
    ),
    "id_text": (
        "lower(substr(hex(e.event_id), 1, 8) || '-' || substr(hex(e.event_id), 9, 4) || '-' || "
        "substr(hex(e.event_id), 13, 4) || '-' || substr(hex(e.event_id), 17, 4) || '-' || "
        "substr(hex(e.event_id), 21))"
    ),
    "json_null": "'null'",
}
_POSTGRES_BULK = {
    "timeline": (
        "INSERT INTO fact_timeline (position, key, value, valid_from, recorded_at) "
        "SELECT position, data ->> 'key', data -> 'value', (data ->> 'valid_from')::timestamptz, "
        "recorded_at FROM events WHERE type = 'FactAsserted' AND position > ? AND position <= ?"
    ),
    "retractions": (
        "UPDATE fact_timeline t SET retracted_at = r.recorded_at, retracted_position = r.position "
        "FROM (SELECT a.position AS target, min(x.position) AS first FROM events x "
        "JOIN fact_timeline k ON k.key = x.data ->> 'key' JOIN events a ON a.position = "
        "k.position AND a.event_id::text = x.data ->> 'assertion_id' "
        "WHERE x.type = 'FactRetracted' AND a.position < x.position "
        "AND x.position <= ? GROUP BY a.position) AS f JOIN events r ON r.position = f.first "
        "WHERE t.position = f.target"
    ),
    "id_text": "e.event_id::text",
    "json_null": "'null'::jsonb",
}
for _bulk in (_SQLITE_BULK, _POSTGRES_BULK):
    # One index seek per key for its winner, as apply() keeps it; a key whose every
    # assertion was retracted keeps a row with no assertion, as apply() leaves it.
    _bulk["current"] = (
        "INSERT INTO current_facts (key, assertion_id, value, valid_from, position) "
        f"SELECT k.key, {_bulk['id_text']}, "
        f"CASE WHEN t.position IS NULL THEN {_bulk['json_null']} ELSE t.value END, "
        "t.valid_from, t.position FROM (SELECT DISTINCT key FROM fact_timeline) AS k "
        "LEFT JOIN fact_timeline t ON t.position = (SELECT s.position FROM fact_timeline s "
        "WHERE s.key = k.key AND s.retracted_at IS NULL "
        "ORDER BY s.valid_from DESC, s.position DESC LIMIT 1) "
        "LEFT JOIN events e ON e.position = t.position"
    )


def source_of(evidence: Evidence) -> dict[str, Any] | None:
    """The source a person can follow: headline, link, feed, publication time."""
    if evidence.title is None and evidence.url is None:
        return None
    return {
        "title": evidence.title,
        "url": evidence.url,
        "feed": evidence.feed,
        "published_at": evidence.published_at.isoformat() if evidence.published_at else None,
    }


def evidence_of(assertion: Assertion) -> dict[str, Any]:
    fact = assertion.fact
    return {
        "assertion_id": assertion.assertion_id,
        "key": assertion.key,
        "value": assertion.value,
        "valid_from": assertion.valid_from.isoformat(),
        "recorded_at": assertion.recorded_at.isoformat(),
        "position": assertion.position,
        "document": fact.evidence.document,
        "quote": fact.evidence.quote,
        "sentence": fact.evidence.sentence,
        "text": fact.text,
        "modality": fact.modality,
        "producer": fact.producer.rule or fact.producer.kind,
        "source": source_of(fact.evidence),
        # set on an editor's correction: who made it and why
        "by": fact.by,
        "reason": fact.reason,
    }


class StatementsProjection:
    name = "statements"
    tables = (statements,)

    def __init__(self, driver: Driver) -> None:
        self._driver = driver
        d = driver
        self._insert = (
            "INSERT INTO statements (statement_id, position, speaker, speaker_name, verb, mode, "
            "quote, content, said_at, said_precision, about, doc_id, sentence, recorded_at, side) "
            f"VALUES ({d.marks(10)}, {d.json_mark}, {d.marks(4)})"
        )

    def apply(self, conn: Connection, page: Page) -> None:
        for events in page.chunks(StatementReported.TYPE):
            self._insert_rows(conn, events)

    def _insert_rows(self, conn: Connection, events: Sequence[RecordedEvent]) -> None:
        d = self._driver
        rows = [
            (
                e.event_id_text,
                e.position,
                e.data["speaker"],
                e.data["speaker_name"],
                e.data["verb"],
                e.data["mode"],
                e.data.get("quote"),
                e.data["content"],
                d.time_text(e.data["said_at"]),
                e.data["said_precision"],
                d.json(e.data.get("about", [])),
                e.data["evidence"]["document"],
                e.data["evidence"].get("sentence"),
                d.time(e.recorded_at),
                e.data.get("side"),
            )
            for e in events
        ]
        if rows:
            with d.cursor(conn) as cursor:
                cursor.executemany(self._insert, rows)


class DocumentsProjection:
    name = "documents"
    tables = (documents,)

    def __init__(self, driver: Driver) -> None:
        self._driver = driver
        d = driver
        self._insert = (
            "INSERT INTO documents (doc_id, stream, identity, source, feed, url, title, "
            "published_at, content_hash, revisions, first_position, last_position, recorded_at) "
            f"VALUES ({d.marks(13)})"
        )

    def apply(self, conn: Connection, page: Page) -> None:
        d = self._driver
        if not page.has(DocumentIngested.TYPE, DocumentRevised.TYPE):
            return
        with d.cursor(conn) as cursor:
            for e in page.events(DocumentIngested.TYPE, DocumentRevised.TYPE):
                data = e.data
                if e.type == "DocumentIngested":
                    cursor.execute(
                        self._insert,
                        (
                            data["doc_id"],
                            e.stream,
                            data["identity"],
                            data["source"],
                            data.get("feed"),
                            data.get("url"),
                            data["title"],
                            d.time_text(data["published_at"]),
                            data["content_hash"],
                            0,
                            e.position,
                            e.position,
                            d.time(e.recorded_at),
                        ),
                    )
                elif e.type == "DocumentRevised":
                    title = data.get("changes", {}).get("title")
                    cursor.execute(
                        f"UPDATE documents SET content_hash = {d.mark}, "
                        f"title = COALESCE({d.mark}, title), revisions = revisions + 1, "
                        f"last_position = {d.mark} WHERE doc_id = {d.mark}",
                        (data["content_hash"], title, e.position, data["doc_id"]),
                    )


def projections_for(
    driver: Driver, questions: Sequence[Question], reader: TimelineReader
) -> list[Any]:
    return [
        FactsProjection(driver, questions, reader),
        StatementsProjection(driver),
        DocumentsProjection(driver),
    ]
