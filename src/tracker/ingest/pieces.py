"""Extraction over bounded pieces of a document, so no text makes the model's memory grow
with it (spaCy holds several kilobytes per character of the text it parses)."""

from __future__ import annotations

from dataclasses import replace

from tracker.domain.events import DocumentIngested
from tracker.domain.log import NewEvent
from tracker.ingest.extract import Extractor

PIECE_CHARS = 20_000


def pieces(text: str, limit: int = PIECE_CHARS) -> list[str]:
    """``text`` in consecutive pieces of at most ``limit`` characters, each cut at a
    paragraph, line or sentence end when one is in its second half."""
    out: list[str] = []
    while len(text) > limit:
        window = text[:limit]
        cut = -1
        for mark in ("\n\n", "\n", ". ", " "):
            cut = window.rfind(mark, limit // 2)
            if cut > 0:
                cut += len(mark)
                break
        if cut <= 0:
            cut = limit
        out.append(text[:cut])
        text = text[cut:]
    if text.strip():
        out.append(text)
    return out


class InPieces:
    """An extractor that hands the one it wraps a document of at most ``limit`` characters
    at a time: a short document whole, a long one as its title and summary with the first
    piece of the content, then the title (which rules read for the topic) with each
    further piece. An event two pieces both produce (the same id) is kept once."""

    def __init__(self, inner: Extractor, limit: int = PIECE_CHARS) -> None:
        self.inner = inner
        self.limit = limit

    def extract(self, document: DocumentIngested) -> list[NewEvent]:
        head = len(document.title) + len(document.summary or "")
        if head + len(document.content) <= self.limit:
            return self.inner.extract(document)
        found: list[NewEvent] = []
        seen: set[object] = set()
        # The text extraction reads, in its order: title, summary unless the content holds
        # it, content. The title goes with every piece; the rest is cut.
        summary, content = document.summary or "", document.content or ""
        body = content or summary
        if content and summary and summary not in content:
            body = f"{summary}\n\n{content}"
        room = max(self.limit - len(document.title), self.limit // 2)
        parts = [replace(document, summary=None, content=piece) for piece in pieces(body, room)]
        for part in parts:
            for event in self.inner.extract(part):
                if event.event_id not in seen:
                    seen.add(event.event_id)
                    found.append(event)
        return found
