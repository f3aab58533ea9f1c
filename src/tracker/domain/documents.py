"""Document identity and content fingerprints, stable across re-ingestion."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import replace

from tracker.domain.events import DocumentIngested, DocumentRevised, decode, new_event
from tracker.domain.log import NewEvent, RecordedEvent

DOCUMENT_NAMESPACE = uuid.UUID("0b5c8a4e-2f7d-5c1e-8e7a-3d9f6b2a1c40")


def document_id(identity: str) -> str:
    """A short, fixed-length id for a document identity (GUID, link or content hash)."""
    return str(uuid.uuid5(DOCUMENT_NAMESPACE, identity))


def stream_for(doc_id: str) -> str:
    return f"doc:{doc_id}"


def normalise_text(text: str) -> str:
    """Text as compared for changes: Unicode NFC, whitespace runs collapsed, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


# C0 and C1 controls but tab, newline and carriage return; lone surrogates; U+FFFE/U+FFFF.
# NUL is refused by PostgreSQL and carried by SQLite; an escape sequence reaches a terminal.
_UNWANTED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def plain_text(text: str) -> str:
    """Text as stored: without the characters a backend refuses or a terminal obeys.

    Applied once, where text enters (a parsed feed entry, an article file), so SQLite and
    PostgreSQL store the same thing.
    """
    return _UNWANTED.sub("", text)


def bounded(text: str, limit: int) -> tuple[str, int]:
    """``text`` cut to ``limit`` characters, at a word when one is near, and how many were cut."""
    if len(text) <= limit:
        return text, 0
    cut = text[:limit]
    space = cut.rfind(" ", max(0, limit - 200))
    if space > 0:
        cut = cut[:space]
    return cut, len(text) - len(cut)


def content_hash(*parts: str | None) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(normalise_text(part or "").encode())
        digest.update(b"\x1e")
    return f"sha256:{digest.hexdigest()}"


REVISABLE = (
    "title",
    "summary",
    "content",
    "url",
    "author",
    "text_source",
    "article_url",
    "article_error",
)


def current_document(history: Sequence[RecordedEvent]) -> DocumentIngested | None:
    """A document as its stream now stands: first ingested, then each revision applied."""
    current: DocumentIngested | None = None
    for recorded in history:
        story_event = decode(recorded)
        if isinstance(story_event, DocumentIngested):
            current = story_event
        elif isinstance(story_event, DocumentRevised) and current is not None:
            current = revised(current, story_event)
    return current


def revised(document: DocumentIngested, revision: DocumentRevised) -> DocumentIngested:
    """``document`` with ``revision`` applied: its new fingerprint and every revisable field
    the revision changed. The one place a revision is applied, for the stream and the fold."""
    return replace(
        document,
        content_hash=revision.content_hash,
        **{k: v for k, v in revision.changes.items() if k in REVISABLE},
    )


def plan_document(
    incoming: DocumentIngested, history: Sequence[RecordedEvent]
) -> tuple[NewEvent | None, DocumentIngested]:
    """What to append for a document seen again: nothing, its first event, or a revision.

    Returns the event (None when unchanged) and the document as it now stands.
    """
    if not history:
        event = new_event(
            incoming, incoming.identity, incoming.content_hash, occurred_at=incoming.published_at
        )
        return event, incoming
    current = current_document(history)
    if current is None or current.content_hash == incoming.content_hash:
        return None, current or incoming
    changes = {
        name: getattr(incoming, name)
        for name in REVISABLE
        if normalise_text(getattr(incoming, name) or "")
        != normalise_text(getattr(current, name) or "")
    }
    revision = DocumentRevised(
        doc_id=current.doc_id,
        content_hash=incoming.content_hash,
        previous_hash=current.content_hash,
        changes=changes,
    )
    # The stream's version is part of the key: A -> B -> A is two revisions, not one.
    event = new_event(
        revision,
        current.identity,
        str(history[-1].version),
        incoming.content_hash,
        occurred_at=history[-1].occurred_at,
    )
    revised = replace(current, content_hash=incoming.content_hash, **changes)
    return event, revised
