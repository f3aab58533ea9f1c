"""The documents projection: one row per document, its latest hash and title."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from tracker.domain.events import (
    DocumentIngested,
    DocumentRevised,
)
from tracker.projections.pages import Page
from tracker.store.driver import Driver
from tracker.store.schema import (
    documents,
)


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
