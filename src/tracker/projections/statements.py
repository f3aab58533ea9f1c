"""The statements projection: one row per statement reported, as it was said."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.engine import Connection

from tracker.domain.events import Evidence, StatementReported, key_of
from tracker.domain.log import RecordedEvent
from tracker.projections.pages import Page
from tracker.store.driver import Driver
from tracker.store.schema import (
    statements,
)

_SPEAKER = key_of(StatementReported, "speaker")
_SPEAKER_NAME = key_of(StatementReported, "speaker_name")
_VERB = key_of(StatementReported, "verb")
_MODE = key_of(StatementReported, "mode")
_QUOTE = key_of(StatementReported, "quote")
_CONTENT = key_of(StatementReported, "content")
_SAID_AT = key_of(StatementReported, "said_at")
_SAID_PRECISION = key_of(StatementReported, "said_precision")
_ABOUT = key_of(StatementReported, "about")
_SIDE = key_of(StatementReported, "side")
_EVIDENCE = key_of(StatementReported, "evidence")
_DOCUMENT = key_of(Evidence, "document")
_SENTENCE = key_of(Evidence, "sentence")


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
        said_at, evidence, document, sentence = _SAID_AT, _EVIDENCE, _DOCUMENT, _SENTENCE
        speaker, speaker_name, verb, mode, quote = _SPEAKER, _SPEAKER_NAME, _VERB, _MODE, _QUOTE
        content, precision, about, side = _CONTENT, _SAID_PRECISION, _ABOUT, _SIDE
        rows = [
            (
                e.event_id_text,
                e.position,
                e.data[speaker],
                e.data[speaker_name],
                e.data[verb],
                e.data[mode],
                e.data.get(quote),
                e.data[content],
                d.time_text(e.data[said_at]),
                e.data[precision],
                d.json(e.data.get(about, [])),
                e.data[evidence][document],
                e.data[evidence].get(sentence),
                d.time(e.recorded_at),
                e.data.get(side),
            )
            for e in events
        ]
        if rows:
            with d.cursor(conn) as cursor:
                cursor.executemany(self._insert, rows)
