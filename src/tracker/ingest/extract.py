"""The extraction step: a document in, the facts and statements it supports out.

Whatever an extractor returns is appended in the same transaction as the
document, so a document is never stored without its extraction, or twice.
"""

from __future__ import annotations

from typing import Protocol

from tracker.domain.events import DocumentIngested
from tracker.domain.log import NewEvent


class Extractor(Protocol):
    def extract(self, document: DocumentIngested) -> list[NewEvent]:
        """Events for a new or revised document; ids must derive from its identity and hash."""
        ...


class NoExtraction:
    """Stores documents only."""

    def extract(self, document: DocumentIngested) -> list[NewEvent]:
        return []
