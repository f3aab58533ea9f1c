"""An article file given on the command line, stored as a document with what extraction
finds in it; and reading any file the user names, bounded."""

from __future__ import annotations

import json
import os
import stat
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from tracker.app.base import Tracker
from tracker.app.entries import bounded_document
from tracker.domain.documents import (
    content_hash,
    document_id,
    plain_text,
    plan_document,
    stream_for,
)
from tracker.domain.events import DocumentIngested
from tracker.domain.feeds import normalise_link
from tracker.domain.log import NO_STREAM
from tracker.errors import InputError
from tracker.ingest.urls import check_feed_url


def ingest_file(
    tracker: Tracker,
    path: Path,
    *,
    published: datetime,
    url: str | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """Store an article file as a document, with what extraction finds in it.

    ``-`` reads standard input. Only a regular file (or standard input) up to
    ``ingest.max_file_bytes`` is read: a device, a FIFO or a sparse giant is refused.
    """
    if url is not None and (problem := check_feed_url(url, what="article")):
        raise InputError(f"--url: {problem}")
    raw = read_input(path, tracker.settings.ingest.max_file_bytes, "ingest.max_file_bytes")
    incoming = _file_document(tracker, path, raw, published=published, url=url, title=title)
    stream = stream_for(incoming.doc_id)
    history = tracker.log.read_stream(stream)
    event, document = plan_document(incoming, history)
    extracted = tracker.extractor.extract(document) if event is not None else []
    appended = 0
    if event is not None:
        expected = history[-1].version if history else NO_STREAM
        result = tracker.log.append(stream, [event, *extracted], expected_version=expected)
        appended = len(result.appended)
        tracker.runner.catch_up()
    return {
        "document": incoming.doc_id,
        "stream": stream,
        "truncated_chars": incoming.truncated_chars,
        "outcome": "unchanged" if event is None else "revised" if history else "new",
        "appended": appended,
        "statements": sum(1 for e in extracted if e.type == "StatementReported"),
        "facts": [
            e.data["key"] + " = " + json.dumps(e.data["value"])
            for e in extracted
            if e.type == "FactAsserted"
        ],
    }


def _file_document(
    tracker: Tracker,
    path: Path,
    raw: bytes,
    *,
    published: datetime,
    url: str | None,
    title: str | None,
) -> DocumentIngested:
    """A file's text as a document: its title given or its first line, the rest its body."""
    try:
        text = plain_text(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    if title is not None:
        title = plain_text(title)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    heading = title or lines[0][:300]
    body = text if title else "\n".join(lines[1:]) or text
    heading, body, cut = bounded_document_parts(tracker, heading, body)
    identity = f"link:{normalise_link(url)}" if url else content_hash(heading, body)
    return DocumentIngested(
        doc_id=document_id(identity),
        identity=identity,
        source="file",
        title=heading,
        content=body,
        content_hash=content_hash(heading, None, body, url and normalise_link(url)),
        published_at=published,
        published_precision="instant",
        url=url,
        truncated_chars=cut,
    )


def read_text_file(tracker: Tracker, path: Path) -> bytes:
    """A file's bytes (``-``: standard input), bounded by ``ingest.max_file_bytes``."""
    return read_input(path, tracker.settings.ingest.max_file_bytes, "ingest.max_file_bytes")


def bounded_document_parts(tracker: Tracker, title: str, body: str) -> tuple[str, str, int]:
    """Title and text cut to ``ingest.max_document_chars`` together, with what was cut."""
    heading, _, text, cut = bounded_document(
        plain_text(title), "", plain_text(body), tracker.settings.ingest.max_document_chars
    )
    return heading, text, cut


def read_input(path: Path, limit: int, limit_name: str) -> bytes:
    """A regular file's bytes, or standard input's for ``-``, refused over ``limit``."""
    if str(path) == "-":
        return _read_bounded(sys.stdin.buffer, "standard input", limit, limit_name)
    return _read_file(path, limit, limit_name)


def _read_file(path: Path, limit: int, limit_name: str) -> bytes:
    try:
        # Non-blocking, so a FIFO with no writer cannot hold the open; refused just below.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)  # a directory cannot even be wrapped in a file object
        raise InputError(f"{path}: not a regular file")
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > limit:
            raise InputError(
                f"{path}: {info.st_size} bytes, over the {limit} byte limit ({limit_name})"
            )
        os.set_blocking(fd, True)
        return _read_bounded(handle, str(path), limit, limit_name)


def _read_bounded(handle: BinaryIO, what: str, limit: int, limit_name: str) -> bytes:
    try:
        data = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(f"{what}: cannot read: {exc.strerror}") from None
    if len(data) > limit:
        raise InputError(f"{what}: over the {limit} byte limit ({limit_name})")
    return data
