"""The stored views: facts (timeline, current facts, answers), statements, documents.

They work from the stored payloads directly, not through the typed events: a
rebuild applies a million events, and the timeline rule they serve is the one
in ``tracker.domain.story`` (the as-of queries use it; tests compare the two).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tracker.domain.events import FactAsserted, FactRetracted, from_data
from tracker.domain.log import RecordedEvent
from tracker.domain.story import Assertion, Question, answer
from tracker.store.driver import Driver
from tracker.store.schema import (
    answers,
    current_facts,
    documents,
    fact_timeline,
    statements,
)

END_OF_TIME = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
TIMELINE_INDEX = "ix_fact_timeline_key_valid"
TIMELINE_COLUMNS = "assertion_id, key, value, valid_from, position, recorded_at, retracted_at, fact"


class FactsProjection:
    """Every assertion on the timeline, the current winner per key, and question answers.

    One projection, one transaction: the three tables can never disagree.
    """

    name = "facts"
    tables = (fact_timeline, current_facts, answers)

    def __init__(self, driver: Driver, questions: Sequence[Question]) -> None:
        self._driver = driver
        self._questions = tuple(questions)
        d = driver
        self._insert = (
            "INSERT INTO fact_timeline (assertion_id, key, value, valid_from, position, "
            "recorded_at, retracted_at, retracted_position, doc_id, fact) VALUES "
            f"({d.mark}, {d.mark}, {d.json_mark}, {d.mark}, {d.mark}, {d.mark}, NULL, NULL, "
            f"{d.mark}, {d.json_mark})"
        )
        self._upsert_current = d.upsert(
            "current_facts",
            ["key", "assertion_id", "value", "valid_from", "position"],
            ["key"],
            json_columns=["value"],
        )
        self._upsert_answer = d.upsert(
            "answers",
            ["question_id", "value", "since", "evidence", "position"],
            ["question_id"],
            json_columns=["evidence"],
        )

    def apply(self, conn: Connection, events: Sequence[RecordedEvent]) -> None:
        d = self._driver
        rows: list[tuple[Any, ...]] = []
        best: dict[str, tuple[datetime, int, str, Any]] = {}
        retracted: list[tuple[RecordedEvent, str]] = []
        last_recorded: tuple[datetime | None, Any] = (None, None)
        for event in events:
            if event.type == "FactAsserted":
                # Events appended together share one recorded_at: encode it once.
                if last_recorded[0] != event.recorded_at:
                    last_recorded = (event.recorded_at, d.time(event.recorded_at))
                data = event.data
                key, value = data["key"], data.get("value")
                valid_from = datetime.fromisoformat(data["valid_from"])
                assertion_id = event.event_id_text
                rows.append(
                    (
                        assertion_id,
                        key,
                        d.json(value),
                        d.time_text(data["valid_from"]),
                        event.position,
                        last_recorded[1],
                        data["evidence"]["document"],
                        d.json(data),
                    )
                )
                candidate = (valid_from, event.position, assertion_id, value)
                held = best.get(key)
                if held is None or candidate[:2] > held[:2]:
                    best[key] = candidate
            elif event.type == "FactRetracted":
                retracted.append((event, event.data["key"]))
        if not rows and not retracted:
            return
        with d.cursor(conn) as cursor:
            if rows:
                # In key order the (key, valid_from) index is written page by page, not at random.
                rows.sort(key=lambda row: row[1])
                cursor.executemany(self._insert, rows)
            self._advance_current(cursor, best)
            for event, _key in retracted:
                # The timeline is keyed by position; the log maps the event id to it.
                cursor.execute(
                    f"UPDATE fact_timeline SET retracted_at = {d.mark}, retracted_position = "
                    f"{d.mark} WHERE position = (SELECT position FROM events WHERE event_id = "
                    f"{d.mark}) AND retracted_at IS NULL",
                    (d.time(event.recorded_at), event.position, d.uuid(event.data["assertion_id"])),
                )
            for key in dict.fromkeys(k for _, k in retracted):
                self._recompute_current(cursor, key)
            # An answer row names the last event that touched its keys, however paged.
            touched: dict[str, int] = {}
            for event in events:
                if event.type in ("FactAsserted", "FactRetracted"):
                    touched[event.data["key"]] = event.position
            for question in self._questions:
                moved = [touched[k] for k in question.facts if k in touched]
                if moved:
                    self._recompute_answer(cursor, question, max(moved))

    def _advance_current(
        self, cursor: Any, best: dict[str, tuple[datetime, int, str, Any]]
    ) -> None:
        if not best:
            return
        d = self._driver
        existing: dict[str, tuple[datetime | None, int | None]] = {}
        keys = list(best)
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            cursor.execute(
                f"SELECT key, valid_from, position FROM current_facts WHERE key IN "
                f"({d.marks(len(chunk))})",
                tuple(chunk),
            )
            existing.update((k, (d.read_time(v), p)) for k, v, p in cursor.fetchall())
        updates = []
        for key, (valid_from, position, assertion_id, value) in best.items():
            old_valid, old_position = existing.get(key, (None, None))
            if (
                old_valid is None
                or old_position is None
                or (valid_from, position) > (old_valid, old_position)
            ):
                updates.append((key, assertion_id, d.json(value), d.time(valid_from), position))
        if updates:
            cursor.executemany(self._upsert_current, updates)

    def _recompute_current(self, cursor: Any, key: str) -> None:
        d = self._driver
        cursor.execute(
            f"SELECT assertion_id, value, valid_from, position FROM fact_timeline "
            f"WHERE key = {d.mark} AND retracted_at IS NULL "
            "ORDER BY valid_from DESC, position DESC LIMIT 1",
            (key,),
        )
        row = cursor.fetchone()
        if row is None:
            cursor.execute(self._upsert_current, (key, None, d.json(None), None, None))
            return
        assertion_id, value, valid_from, position = row
        cursor.execute(
            self._upsert_current,
            (key, assertion_id, d.json(d.read_json(value)), valid_from, position),
        )

    def _recompute_answer(self, cursor: Any, question: Question, position: int) -> None:
        d = self._driver
        by_key: dict[str, list[Assertion]] = {}
        for key in question.facts:
            cursor.execute(
                f"SELECT {TIMELINE_COLUMNS} FROM fact_timeline WHERE key = {d.mark}", (key,)
            )
            by_key[key] = [assertion_from_row(d, row) for row in cursor.fetchall()]
        result = answer(question, by_key, END_OF_TIME, END_OF_TIME)
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
        at an older schema (upcasters are Python) or times not in their stored form.
        """
        d = self._driver
        sql = _POSTGRES_BULK if d.postgres else _SQLITE_BULK
        with d.cursor(conn) as cursor:
            cursor.execute(
                sql["eligible"].replace("?", d.mark),
                (upto, FactAsserted.SCHEMA, FactRetracted.SCHEMA),
            )
            if cursor.fetchone()[0]:
                return False
            # Filling the table first and indexing it after is several times faster than
            # maintaining the index row by row; the index is the one the schema declares.
            index = next(i for i in fact_timeline.indexes if i.name == TIMELINE_INDEX)
            conn.execute(sa.schema.DropIndex(index))
            cursor.execute(sql["timeline"].replace("?", d.mark), (upto,))
            conn.execute(sa.schema.CreateIndex(index))
            for statement in ("retractions", "current", "retracted_keys"):
                cursor.execute(
                    sql[statement].replace("?", d.mark), (upto,) if "?" in sql[statement] else ()
                )
            for question in self._questions:
                marks = d.marks(len(question.facts))
                cursor.execute(
                    f"SELECT max(p) FROM (SELECT max(position) AS p FROM fact_timeline "
                    f"WHERE key IN ({marks}) UNION ALL SELECT max(position) FROM events "
                    f"WHERE type = 'FactRetracted' AND {sql['retraction_key']} IN ({marks}) "
                    f"AND position <= {d.mark}) AS touched",
                    (*question.facts, *question.facts, upto),
                )
                position = cursor.fetchone()[0]
                if position is not None:
                    self._recompute_answer(cursor, question, position)
        return True


# Set-wise forms of FactsProjection.apply. The payload's times are already UTC text
# at microsecond precision (the stored form on SQLite); ids are hex on SQLite.
_SQLITE_BULK = {
    "eligible": (
        "SELECT count(*) FROM events WHERE position <= ? AND ("
        "(type = 'FactAsserted' AND (schema_version <> ? OR length(data ->> '$.valid_from') <> 32"
        " OR data ->> '$.valid_from' NOT LIKE '%+00:00')) "
        "OR (type = 'FactRetracted' AND schema_version <> ?))"
    ),
    "timeline": (
        "INSERT INTO fact_timeline (position, assertion_id, key, value, valid_from, recorded_at, "
        "retracted_at, retracted_position, doc_id, fact) "
        "SELECT position, substr(event_id, 1, 8) || '-' || substr(event_id, 9, 4) || '-' || "
        "substr(event_id, 13, 4) || '-' || substr(event_id, 17, 4) || '-' || "
        "substr(event_id, 21), data ->> '$.key', data -> '$.value', data ->> '$.valid_from', "
        "recorded_at, NULL, NULL, data ->> '$.evidence.document', data "
        "FROM events WHERE type = 'FactAsserted' AND position <= ?"
    ),
    "retractions": (
        "UPDATE fact_timeline SET retracted_at = r.recorded_at, retracted_position = r.position "
        "FROM (SELECT a.position AS target, min(x.position) AS first FROM events x "
        "JOIN events a ON a.event_id = replace(x.data ->> '$.assertion_id', '-', '') "
        "WHERE x.type = 'FactRetracted' AND a.type = 'FactAsserted' AND a.position < x.position "
        "AND x.position <= ? GROUP BY a.position) AS f JOIN events r ON r.position = f.first "
        "WHERE fact_timeline.position = f.target"
    ),
    "retraction_key": "data ->> '$.key'",
}
_POSTGRES_BULK = {
    "eligible": (
        "SELECT count(*) FROM events WHERE position <= ? AND ("
        "(type = 'FactAsserted' AND schema_version <> ?) "
        "OR (type = 'FactRetracted' AND schema_version <> ?))"
    ),
    "timeline": (
        "INSERT INTO fact_timeline (position, assertion_id, key, value, valid_from, recorded_at, "
        "retracted_at, retracted_position, doc_id, fact) "
        "SELECT position, event_id::text, data ->> 'key', data -> 'value', "
        "(data ->> 'valid_from')::timestamptz, recorded_at, NULL, NULL, "
        "data -> 'evidence' ->> 'document', data "
        "FROM events WHERE type = 'FactAsserted' AND position <= ?"
    ),
    "retractions": (
        "UPDATE fact_timeline t SET retracted_at = r.recorded_at, retracted_position = r.position "
        "FROM (SELECT a.position AS target, min(x.position) AS first FROM events x "
        "JOIN events a ON a.event_id::text = x.data ->> 'assertion_id' "
        "WHERE x.type = 'FactRetracted' AND a.type = 'FactAsserted' AND a.position < x.position "
        "AND x.position <= ? GROUP BY a.position) AS f JOIN events r ON r.position = f.first "
        "WHERE t.position = f.target"
    ),
    "retraction_key": "data ->> 'key'",
}
for _bulk in (_SQLITE_BULK, _POSTGRES_BULK):
    _bulk["current"] = (
        "INSERT INTO current_facts (key, assertion_id, value, valid_from, position) "
        "SELECT key, assertion_id, value, valid_from, position FROM ("
        "SELECT key, assertion_id, value, valid_from, position, row_number() OVER ("
        "PARTITION BY key ORDER BY valid_from DESC, position DESC) AS rank "
        "FROM fact_timeline WHERE retracted_at IS NULL) AS ranked WHERE rank = 1"
    )
    # A key whose every assertion was retracted keeps a row, as apply() leaves it.
    _bulk["retracted_keys"] = (
        "INSERT INTO current_facts (key, assertion_id, value, valid_from, position) "
        "SELECT DISTINCT key, NULL, "
        + ("'null'::jsonb" if _bulk is _POSTGRES_BULK else "'null'")
        + ", NULL, NULL FROM fact_timeline "
        "WHERE key NOT IN (SELECT key FROM current_facts)"
    )


def assertion_from_row(driver: Driver, row: tuple[Any, ...]) -> Assertion:
    assertion_id, key, value, valid_from, position, recorded_at, retracted_at, fact = row
    fact_data = driver.read_json(fact)
    parsed = from_data(FactAsserted, fact_data)
    return Assertion(
        assertion_id=assertion_id,
        key=key,
        value=driver.read_json(value),
        valid_from=driver.read_time(valid_from) or END_OF_TIME,
        position=position,
        recorded_at=driver.read_time(recorded_at) or END_OF_TIME,
        fact=parsed,
        retracted_at=driver.read_time(retracted_at),
    )


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
    }


class StatementsProjection:
    name = "statements"
    tables = (statements,)

    def __init__(self, driver: Driver) -> None:
        self._driver = driver
        d = driver
        self._insert = (
            "INSERT INTO statements (statement_id, position, speaker, speaker_name, verb, mode, "
            "quote, content, said_at, said_precision, about, doc_id, sentence, recorded_at) "
            f"VALUES ({d.marks(10)}, {d.json_mark}, {d.marks(3)})"
        )

    def apply(self, conn: Connection, events: Sequence[RecordedEvent]) -> None:
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
            )
            for e in events
            if e.type == "StatementReported"
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

    def apply(self, conn: Connection, events: Sequence[RecordedEvent]) -> None:
        d = self._driver
        with d.cursor(conn) as cursor:
            for e in events:
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


def projections_for(driver: Driver, questions: Sequence[Question]) -> list[Any]:
    return [
        FactsProjection(driver, questions),
        StatementsProjection(driver),
        DocumentsProjection(driver),
    ]
