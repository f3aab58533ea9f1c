"""The documents projection: one row per document, its latest hash and title."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from tracker.domain.events import DocumentIngested, DocumentRevised, key_of
from tracker.domain.log import RecordedEvent
from tracker.projections.pages import Page
from tracker.store.driver import Driver
from tracker.store.schema import (
    documents,
)

_DOC_ID = key_of(DocumentIngested, "doc_id")
_IDENTITY = key_of(DocumentIngested, "identity")
_SOURCE = key_of(DocumentIngested, "source")
_FEED = key_of(DocumentIngested, "feed")
_URL = key_of(DocumentIngested, "url")
_TITLE = key_of(DocumentIngested, "title")
_PUBLISHED_AT = key_of(DocumentIngested, "published_at")
_CONTENT_HASH = key_of(DocumentIngested, "content_hash")
# A revision names what changed by the ingested document's field names.
_CHANGES = key_of(DocumentRevised, "changes")
_REVISED_HASH = key_of(DocumentRevised, "content_hash")
_REVISED_DOC_ID = key_of(DocumentRevised, "doc_id")


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
                if e.type == DocumentIngested.TYPE:
                    self._ingested(cursor, e)
                elif e.type == DocumentRevised.TYPE:
                    self._revised(cursor, e)

    def _ingested(self, cursor: Any, e: RecordedEvent) -> None:
        d, data = self._driver, e.data
        cursor.execute(
            self._insert,
            (
                data[_DOC_ID],
                e.stream,
                data[_IDENTITY],
                data[_SOURCE],
                data.get(_FEED),
                data.get(_URL),
                data[_TITLE],
                d.time_text(data[_PUBLISHED_AT]),
                data[_CONTENT_HASH],
                0,
                e.position,
                e.position,
                d.time(e.recorded_at),
            ),
        )

    def _revised(self, cursor: Any, e: RecordedEvent) -> None:
        d, data = self._driver, e.data
        title = data.get(_CHANGES, {}).get(_TITLE)
        cursor.execute(
            f"UPDATE documents SET content_hash = {d.mark}, "
            f"title = COALESCE({d.mark}, title), revisions = revisions + 1, "
            f"last_position = {d.mark} WHERE doc_id = {d.mark}",
            (data[_REVISED_HASH], title, e.position, data[_REVISED_DOC_ID]),
        )
