"""Document identity and content fingerprints, stable across re-ingestion."""

from __future__ import annotations

import hashlib
import unicodedata
import uuid

DOCUMENT_NAMESPACE = uuid.UUID("0b5c8a4e-2f7d-5c1e-8e7a-3d9f6b2a1c40")


def document_id(identity: str) -> str:
    """A short, fixed-length id for a document identity (GUID, link or content hash)."""
    return str(uuid.uuid5(DOCUMENT_NAMESPACE, identity))


def stream_for(doc_id: str) -> str:
    return f"doc:{doc_id}"


def normalise_text(text: str) -> str:
    """Text as compared for changes: Unicode NFC, whitespace runs collapsed, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def content_hash(*parts: str | None) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(normalise_text(part or "").encode())
        digest.update(b"\x1e")
    return f"sha256:{digest.hexdigest()}"
